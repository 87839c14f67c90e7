import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { registryDigest, registryRepositories } from '../../sandbox/registry-api.js';
import { DIST, errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { buildTinyImage, sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { writeOciLayout } from './publish-helpers.js';

// ECR Public in the sandbox: the SDK reaches it through AWS_ENDPOINT_URL_ECR_PUBLIC; its repository URIs are
// `<sandbox registry host>/<alias>/<name>` (it cannot be public.ecr.aws), so the action pushes to the same real
// registry as private ECR, under the alias. The services deploy in eu-west-1: ECR Public must still be asked
// in us-east-1 (the sandbox refuses any other region for it, as AWS has it nowhere else).
let environment: Environment;
let env: Record<string, string>;
let ecs: ECSClient;
let work: string;
const REGION = 'eu-west-1';
const ALIAS = 'ecs-ship-sandbox';

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 10, docker: true });
  env = environment.env;
  ecs = sandboxEcs({ ...env, AWS_REGION: REGION });
  work = await mkdtemp(join(tmpdir(), 'ecs-ship-ecr-public-'));
}, 60_000);

afterAll(async () => {
  await environment?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const callsSince = (from: number, service: 'ecr' | 'ecr-public' | 'ecs') =>
  environment.aws.requests
    .slice(from)
    .filter((r) => r.service === service)
    .map((r) => r.operation);

async function ship(service: string, inputs: Record<string, string>) {
  return runAction({ inputs: { service, 'aws-region': REGION, 'poll-seconds': '0.2', ...inputs }, env });
}

/** What the task definition the service now runs references. */
async function deployedImage(main: StepResult): Promise<string | undefined> {
  const { taskDefinition } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: main.outputs['task-definition-arn'] ?? '' }),
  );
  return taskDefinition?.containerDefinitions?.[0]?.image;
}

describe('a local Docker image to a new ECR Public repository, deployed by digest', () => {
  let main: StepResult;
  let post: StepResult | undefined;
  let from: number;

  beforeAll(async () => {
    await seedService(ecs, { service: 'gallery', desiredCount: 1 });
    await waitSteady(ecs, 'gallery');
    await buildTinyImage(env, 'gallery-app:1');
    from = environment.aws.requests.length;
    ({ main, post } = await ship('gallery', {
      image: 'gallery-app:1',
      repository: 'gallery',
      tags: 'v1',
      registry: `public.ecr.aws/${ALIAS}`,
      'create-repository': 'true',
    }));
  }, 120_000);

  it('creates the repository, logs in and pushes with ECR Public only, and the rollout succeeds', () => {
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(callsSince(from, 'ecr-public')).toEqual([
      'DescribeRepositories',
      'DescribeRegistries',
      'CreateRepository',
      'GetAuthorizationToken',
    ]);
    expect(callsSince(from, 'ecr')).toEqual([]);
    expect(environment.aws.state.ecrPublic.repositories.has('gallery')).toBe(true);
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('the registry holds the image under <alias>/<repository>, and the task definition runs it by digest', async () => {
    const digest = main.outputs['image-digest'] ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(environment.registry, `${ALIAS}/gallery`, 'v1')).toBe(digest);
    const uri = `${environment.registry.host}/${ALIAS}/gallery@${digest}`;
    expect(main.outputs['image-uri']).toBe(uri);
    expect(await deployedImage(main)).toBe(uri);
    // The sandbox's ECS really pulled it: a task runs with that digest.
    const tasks = [...environment.aws.state.region(REGION).tasks.values()].filter(
      (t) => t.serviceName === 'gallery' && t.lastStatus === 'RUNNING',
    );
    expect(tasks.map((t) => t.containers[0]?.imageDigest)).toContain(digest);
  });

  it('masks the ECR Public password, never shows it, and logs out in the post step', async () => {
    const { password } = environment.registry;
    const token = Buffer.from(`AWS:${password}`).toString('base64');
    const lines = main.stdout.split('\n');
    expect(lines[lines.findIndex((l) => l.includes(password))]).toBe(`::add-mask::${password}`);
    const shown = [main.stdout, main.stderr, main.summary, post?.stdout, post?.stderr]
      .join('\n')
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of [password, token]) expect(shown).not.toContain(secret);
    expect(JSON.stringify(main.outputs)).not.toContain(password);
    expect(post?.code).toBe(0);
    // docker login went to the repository URI's host (here the sandbox registry), and the post step left it.
    expect(main.state.registry).toBe(environment.registry.host);
    expect(post?.stdout).toContain(environment.registry.host);
    const config = JSON.parse(await readFile(join(env.DOCKER_CONFIG ?? '', 'config.json'), 'utf8'));
    expect(Object.keys(config.auths ?? {})).not.toContain(environment.registry.host);
  });
});

describe('an OCI layout to an existing ECR Public repository (registry: public.ecr.aws, no alias)', () => {
  it('pushes it daemonlessly under the alias ECR Public reports and deploys that digest', async () => {
    environment.aws.state.ecrPublic.repositories.set('layout', {
      name: 'layout',
      createdAt: Date.now(),
      catalogData: {},
    });
    await seedService(ecs, { service: 'layout', desiredCount: 1 });
    await waitSteady(ecs, 'layout');
    const layout = join(work, 'layout');
    const digest = await writeOciLayout(layout, 'v1', [
      { os: 'linux', architecture: 'amd64', layers: [4096] },
    ]);
    const from = environment.aws.requests.length;
    const { main } = await ship('layout', {
      image: `oci-layout:${layout}:v1`,
      repository: 'layout',
      tags: 'v1\nstable',
      registry: 'public.ecr.aws',
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(callsSince(from, 'ecr-public')).toEqual(['DescribeRepositories', 'GetAuthorizationToken']);
    expect(callsSince(from, 'ecr')).toEqual([]);
    expect(main.outputs['image-digest']).toBe(digest);
    for (const tag of ['v1', 'stable']) {
      expect(await registryDigest(environment.registry, `${ALIAS}/layout`, tag)).toBe(digest);
    }
    const uri = `${environment.registry.host}/${ALIAS}/layout@${digest}`;
    expect(main.outputs['image-uri']).toBe(uri);
    expect(await deployedImage(main)).toBe(uri);
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  }, 120_000);
});

describe('mistakes stop in the plan, before any write', () => {
  beforeAll(async () => {
    await seedService(ecs, { service: 'ghost', desiredCount: 1 });
    await buildTinyImage(env, 'ghost-app:1');
  }, 60_000);

  it.each([
    [
      'a missing repository without create-repository',
      { registry: 'public.ecr.aws' },
      "::error::Repository 'ghost' does not exist in this account's ECR Public registry; create it or set create-repository: true.",
    ],
    [
      'an alias that is not this account`s',
      { registry: 'public.ecr.aws/someone-else', 'create-repository': 'true' },
      `::error::Input 'registry' is 'public.ecr.aws/someone-else', but this account's ECR Public registry is public.ecr.aws/${ALIAS}: use that (or just public.ecr.aws).`,
    ],
    [
      'a scan gate, which ECR Public cannot give',
      { registry: 'public.ecr.aws', 'fail-on-severity': 'HIGH' },
      "::error::Input 'fail-on-severity' is set, but it only applies with a private ECR registry, not ECR Public.",
    ],
  ])(
    '%s: one line, no AWS write, nothing pushed',
    async (_case, extra, line) => {
      const writes = environment.aws.writes().length;
      const { main } = await ship('ghost', {
        image: 'ghost-app:1',
        repository: 'ghost',
        tags: 'v1',
        ...extra,
      });
      expect(main.code).toBe(1);
      expect(errorLines(main)).toEqual([line]);
      expect(environment.aws.writes().slice(writes)).toEqual([]);
      expect(environment.aws.state.ecrPublic.repositories.has('ghost')).toBe(false);
      expect((await registryRepositories(environment.registry)).filter((r) => r.endsWith('ghost'))).toEqual(
        [],
      );
    },
    60_000,
  );
});

describe('the bundle', () => {
  it('keeps the ECR Public SDK out of what every run loads (it is a chunk imported on demand)', async () => {
    const chunks = (await readdir(DIST)).filter((f) => f.endsWith('.js'));
    const texts = new Map(
      await Promise.all(chunks.map(async (f) => [f, await readFile(join(DIST, f), 'utf8')] as const)),
    );
    const withPublic = [...texts].filter(([, t]) => t.includes('SpencerFrontendService')).map(([f]) => f);
    const withEcs = [...texts]
      .filter(([, t]) => t.includes('AmazonEC2ContainerServiceV20141113'))
      .map(([f]) => f);
    expect(withPublic).toHaveLength(1);
    expect(withPublic).not.toContain('index.js');
    expect(withEcs).not.toContain(withPublic[0]);
  });
});
