import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';
import { makeTestCertificates } from '../../sandbox/tls.js';

/**
 * docker verifies the registry's certificate, as it does a private registry's: the sandbox registry is on
 * 192.0.2.2 (not loopback, which dockerd never verifies) and its CA is in /etc/docker/certs.d/HOST/ca.crt.
 * Here that file holds another CA, then none: the push through docker fails in one line naming the host and
 * where the CA goes, before anything is written to AWS. Put back, the same daemon pushes (no restart).
 */

let environment: Environment;
let ecs: ECSClient;
let certsDir: string;
let otherCa: string;
let rightCa: string;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  ecs = sandboxEcs(environment.env);
  await createRepositories(environment.env, 'trusted');
  certsDir = await mkdtemp(join(tmpdir(), 'ecs-ship-other-ca-'));
  otherCa = (await makeTestCertificates(certsDir)).caFile;
  rightCa = environment.registry.caFile ?? 'no CA';
  await seedService(ecs, { service: 'tls', desiredCount: 1 });
  await waitSteady(ecs, 'tls');
  await buildTinyImage(environment.env, 'tls-app:1');
}, 90_000);

afterAll(async () => {
  await environment?.stop();
  if (certsDir) await rm(certsDir, { recursive: true, force: true });
});

const dockerCa = (): string => environment.registry.dockerCaFile ?? 'no certs.d file';

const deploy = (repository: string, extra: Record<string, string> = {}) =>
  runAction({
    inputs: { image: 'tls-app:1', repository, tags: 'v1', service: 'tls', 'poll-seconds': '0.5', ...extra },
    env: environment.env,
    post: false,
  });

const untrustedLine = (host: string) =>
  new RegExp(
    `^::error::Registry ${host.replace(/\./g, '\\.')} presented a TLS certificate Docker on this runner does not trust \\(x509: certificate signed by unknown authority\\); if a private CA signed it, put the CA's PEM file at /etc/docker/certs.d/${host.replace(/\./g, '\\.')}/ca\\.crt on the runner \\(or in its system trust store\\)\\.$`,
  );

describe('a registry whose certificate docker does not trust', () => {
  it('is on an address docker verifies, with its CA where dockerd looks for it', async () => {
    const host = environment.registry.host;
    expect(host).toMatch(/^192\.0\.2\.2:\d+$/);
    expect(dockerCa()).toBe(`/etc/docker/certs.d/${host}/ca.crt`);
    expect(await readFile(dockerCa(), 'utf8')).toBe(await readFile(rightCa, 'utf8'));
  });

  describe.each([
    ['another CA in certs.d', () => copyFile(otherCa, dockerCa())],
    ['no CA in certs.d', () => rm(dockerCa(), { force: true })],
  ])('%s', (_name, untrust) => {
    let step: StepResult;
    let writesBefore: number;

    beforeAll(async () => {
      await untrust();
      writesBefore = environment.aws.writes().length;
      // create-repository: the repository is one write the step could make before pushing; it must not.
      ({ main: step } = await deploy('untrusted', { 'create-repository': 'true' }));
      await copyFile(rightCa, dockerCa());
    }, 120_000);

    it('fails in one line naming the host and where the CA goes', () => {
      expect(step.code).toBe(1);
      const errors = errorLines(step);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(untrustedLine(environment.registry.host));
    });

    it('before anything is written to AWS: no repository, no revision, no update', () => {
      expect(environment.aws.writes().slice(writesBefore)).toEqual([]);
      expect(environment.aws.state.taskDefinitions('tls').length).toBe(1);
    });
  });

  it('with its CA back in certs.d, the same daemon pushes and the deploy succeeds', async () => {
    const { main } = await deploy('trusted');
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['image-uri']).toMatch(
      new RegExp(`^${environment.registry.host.replace(/\./g, '\\.')}/trusted@sha256:[0-9a-f]{64}$`),
    );
  }, 120_000);
});
