import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';
import { callsOf, errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { makeTestCertificates, startTlsFront } from '../../sandbox/tls.js';

/**
 * AWS endpoints behind a private CA (a TLS-inspecting proxy, a private endpoint), as AWS_CA_BUNDLE is meant
 * for: the sandbox's AWS API is served over TLS with a CA of the test's own, which Node does not know and
 * NODE_EXTRA_CA_CERTS does not name. With AWS_CA_BUNDLE naming it the deploy works; without it the step
 * fails with one line naming the host and the fix, and writes nothing.
 */

let environment: Environment;
let ecs: ECSClient;
let front: { port: number; close(): Promise<void> };
let caFile: string;
let tlsEnv: Record<string, string>;

const ENDPOINTS = ['ECS', 'ECR', 'ECR_PUBLIC', 'CODEDEPLOY', 'STS'];

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false });
  ecs = sandboxEcs(environment.env);
  const certs = await makeTestCertificates(await mkdtemp(join(tmpdir(), 'ecs-ship-aws-ca-')));
  caFile = certs.caFile;
  front = await startTlsFront(certs, Number(new URL(environment.aws.endpoint).port));
  // No NODE_EXTRA_CA_CERTS at all: only AWS_CA_BUNDLE can make the AWS endpoints trusted.
  const { NODE_EXTRA_CA_CERTS: _registryCa, ...rest } = environment.env;
  tlsEnv = {
    ...rest,
    ...Object.fromEntries(ENDPOINTS.map((s) => [`AWS_ENDPOINT_URL_${s}`, `https://127.0.0.1:${front.port}`])),
  };
}, 60_000);

afterAll(async () => {
  await front?.close();
  await environment?.stop();
});

/** The step's AWS keys appear nowhere a person or a later step could read. */
function noSecrets(main: StepResult): void {
  const seen = [main.stdout, main.stderr, main.summary, JSON.stringify(main.outputs)].join('\n');
  expect(seen).not.toContain(SANDBOX_USER.secretAccessKey);
}

async function deploy(service: string, env: Record<string, string>) {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  const { main } = await runAction({
    inputs: { service, containers: `${service}=public.ecr.aws/nginx/nginx:1.27`, 'poll-seconds': '0.2' },
    env,
    post: false,
  });
  return main;
}

describe('AWS endpoints over TLS with a private CA', () => {
  it('AWS_CA_BUNDLE alone makes the deploy work, every call over HTTPS', async () => {
    const main = await deploy('cabundle', { ...tlsEnv, AWS_CA_BUNDLE: caFile });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const calls = callsOf(main, environment.aws.requests);
    expect(calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining(['DescribeServices', 'UpdateService']),
    );
    expect(await readFile(caFile, 'utf8')).toMatch(/BEGIN CERTIFICATE/);
    noSecrets(main);
  }, 60_000);

  it('without it: one line naming the host and AWS_CA_BUNDLE, and no call reached AWS', async () => {
    const before = environment.aws.requests.length;
    const main = await deploy('nobundle', tlsEnv);
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::AWS endpoint 127\\.0\\.0\\.1:${front.port} presented a TLS certificate this runner does not trust \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY) on ECS \\w+\\); if a private CA or a TLS-inspecting proxy signed it, set AWS_CA_BUNDLE \\(or NODE_EXTRA_CA_CERTS\\) to the CA's PEM file\\.$`,
        ),
      ),
    ]);
    const ours = environment.aws.requests.slice(before).filter((r) => /\becs-ship\//.test(r.userAgent));
    expect(ours).toEqual([]);
    noSecrets(main);
  }, 60_000);
});
