/**
 * docs/iam/push-public.json, proven: a push to ECR Public as a principal held to exactly that file and
 * deploy.json, in the sandbox's policy mode, where ECR Public's API and its registry (the front in
 * sandbox/ecr-front.ts, which maps each registry request to its ecr-public: action) refuse whatever the
 * policies do not allow. ECR Public's actions are not ECR's: the private push policy would not do.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { ACCOUNT } from '../../sandbox/iam.js';
import type { PolicyDocument } from '../../sandbox/iam-policy.js';
import { registryDigest } from '../../sandbox/registry-api.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { buildTinyImage, sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { holdTo, namesFor, policy, printedPolicy, refusedSince, without } from './iam-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

let environment: Environment;
let ecs: ECSClient;
let deployer: { accessKeyId: string; secretAccessKey: string; arn: string };
let work: string;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  ecs = sandboxEcs(environment.env);
  deployer = environment.aws.iam.addUser('deployer');
  work = await mkdtemp(join(tmpdir(), 'ecs-ship-iam-public-'));
  await buildTinyImage(environment.env, 'public-app:1');
}, 90_000);

afterAll(async () => {
  await environment?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const hold = (policies: PolicyDocument[]) => holdTo(environment.aws, deployer.arn, policies);
const refused = (since: number) => refusedSince(environment.aws, deployer.arn, since);
const asDeployer = () => ({
  ...environment.env,
  AWS_ACCESS_KEY_ID: deployer.accessKeyId,
  AWS_SECRET_ACCESS_KEY: deployer.secretAccessKey,
});

/** A steady service; with `repository`, its ECR Public repository exists already. */
async function scene(service: string, repository: boolean): Promise<void> {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  if (repository)
    environment.aws.state.ecrPublic.repositories.set(service, {
      name: service,
      createdAt: Date.now(),
      catalogData: {},
    });
}

const inputsFor = (service: string, extra: Record<string, string> = {}): Record<string, string> => ({
  image: 'public-app:1',
  repository: service,
  tags: 'v1',
  registry: 'public.ecr.aws',
  service,
  'poll-seconds': '0.5',
  ...extra,
});

async function ship(inputs: Record<string, string>): Promise<StepResult> {
  return (await runAction({ inputs, env: asDeployer(), post: false })).main;
}

const publicPolicies = (service: string) => [
  policy('push-public', namesFor(service)),
  policy('deploy', namesFor(service)),
];

describe('a push to ECR Public under exactly push-public + deploy', () => {
  it('creates the repository, pushes with docker, deploys by digest; nothing is refused, no ECR call', async () => {
    await scene('pub-ok', false);
    hold(publicPolicies('pub-ok'));
    const since = environment.aws.requests.length;
    const main = await ship(inputsFor('pub-ok', { 'create-repository': 'true' }));
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(environment.aws.state.ecrPublic.repositories.has('pub-ok')).toBe(true);
    const calls = environment.aws.requests.slice(since).filter((r) => r.principal === deployer.arn);
    expect(calls.filter((r) => r.service === 'ecr')).toEqual([]);
    expect(calls.filter((r) => r.service === 'ecr-public').map((r) => r.operation)).toEqual(
      expect.arrayContaining(['CreateRepository', 'GetAuthorizationToken']),
    );
  }, 120_000);

  it('the private push policy is not enough: ECR Public refuses it in one line naming its own action', async () => {
    await scene('pub-private', true);
    hold([policy('push', namesFor('pub-private')), policy('deploy', namesFor('pub-private'))]);
    const writes = environment.aws.writes().length;
    const main = await ship(inputsFor('pub-private'));
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`User: ${deployer.arn} is not authorized to perform: ecr-public:`);
    expect(environment.aws.writes().slice(writes)).toEqual([]);
  }, 120_000);
});

describe('the public registry refuses a push the policy does not allow (403 DENIED)', () => {
  it.each([
    [
      'a docker push without ecr-public:InitiateLayerUpload',
      'pub-noupload',
      'ecr-public:InitiateLayerUpload',
      false,
    ],
    ['a daemonless OCI-layout push without ecr-public:PutImage', 'pub-noput', 'ecr-public:PutImage', true],
  ])(
    '%s: one line naming the action and the user, nothing registered, no manifest',
    async (_case, service, action, layout) => {
      await scene(service, true);
      const [push, deploy] = publicPolicies(service) as [PolicyDocument, PolicyDocument];
      hold([without(push, action), deploy]);
      const extra: Record<string, string> = {};
      if (layout) {
        const dir = join(work, service);
        await writeOciLayout(dir, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [2048] }]);
        extra.image = `oci-layout:${dir}:v1`;
      }
      const main = await ship(inputsFor(service, extra));
      expect(main.code).toBe(1);
      const errors = errorLines(main);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(action);
      expect(errors[0]).toContain(`User: ${deployer.arn} is not authorized`);
      expect(environment.aws.state.taskDefinitions(service)).toHaveLength(1);
      // Nothing was tagged: the registry serves no v1 under the alias.
      const alias = environment.aws.state.ecrPublic.alias;
      expect(await registryDigest(environment.registry, `${alias}/${service}`, 'v1')).toBeNull();
    },
    120_000,
  );

  it('a login without sts:GetServiceBearerToken: one line naming it, before any write', async () => {
    await scene('pub-nobearer', true);
    const [push, deploy] = publicPolicies('pub-nobearer') as [PolicyDocument, PolicyDocument];
    hold([without(push, 'sts:GetServiceBearerToken'), deploy]);
    const writes = environment.aws.writes().length;
    const main = await ship(inputsFor('pub-nobearer'));
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('sts:GetServiceBearerToken');
    expect(errors[0]).toContain(deployer.arn);
    expect(environment.aws.writes().slice(writes)).toEqual([]);
  }, 120_000);
});

describe('dry-run: true for ECR Public', () => {
  it('prints push-public, not push; the real run then succeeds under exactly that policy', async () => {
    await scene('pub-dry', false);
    const inputs = inputsFor('pub-dry', { 'create-repository': 'true' });
    const { main: dry } = await runAction({
      inputs: { ...inputs, 'dry-run': 'true' },
      env: environment.env,
      post: false,
    });
    expect({ code: dry.code, errors: errorLines(dry) }).toEqual({ code: 0, errors: [] });
    const { heading, policy: printed } = printedPolicy(dry.stdout);
    expect(heading).toMatch(/\(push-public, deploy, rollback;/);
    const text = JSON.stringify(printed);
    expect(text).toContain(`arn:aws:ecr-public::${ACCOUNT}:repository/pub-dry`);
    expect(text).not.toMatch(/"ecr:/);

    hold([printed]);
    const since = environment.aws.requests.length;
    const main = await ship(inputs);
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  }, 180_000);
});
