/**
 * The README's IAM policies, proven: each feature runs once as a principal whose only permissions are the
 * files in docs/iam/ (placeholders filled with the sandbox's names), in the sandbox's policy mode, which
 * refuses every call those policies do not allow with the AccessDenied each service sends. And a call
 * outside the policy fails in one line naming the IAM action and the principal.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { ACCOUNT } from '../../sandbox/iam.js';
import type { PolicyDocument } from '../../sandbox/iam-policy.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { holdTo, namesFor, policy, printedPolicy, refusedSince, without } from './iam-helpers.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';

let environment: Environment;
let ecs: ECSClient;
let deployer: { accessKeyId: string; secretAccessKey: string; arn: string };

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  // The sandbox's own user sets the scene unrestricted; the step signs as `deployer`, held to the policies.
  ecs = sandboxEcs(environment.env);
  deployer = environment.aws.iam.addUser('deployer');
  await buildTinyImage(environment.env, 'iam-app:1');
}, 90_000);

afterAll(async () => {
  await environment?.stop();
});

const hold = (policies: PolicyDocument[]) => holdTo(environment.aws, deployer.arn, policies);

const asDeployer = () => ({
  ...environment.env,
  AWS_ACCESS_KEY_ID: deployer.accessKeyId,
  AWS_SECRET_ACCESS_KEY: deployer.secretAccessKey,
});

/** A task definition with both roles and tags: what makes ECS ask for iam:PassRole and ecs:TagResource. */
async function taskDefinitionFile(family: string, extra: Record<string, unknown> = {}): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'ecs-ship-iam-')), 'td.json');
  await writeFile(
    file,
    JSON.stringify({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${family}-task`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${family}-execution`,
      containerDefinitions: [{ name: 'app', image: 'placeholder', essential: true }],
      tags: [{ key: 'team', value: 'payments' }],
      ...extra,
    }),
  );
  return file;
}

async function scene(service: string): Promise<void> {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  await createRepositories(environment.env, service);
}

async function deploy(
  service: string,
  inputs: Record<string, string> = {},
  taskDefinition: Record<string, unknown> = {},
): Promise<StepResult> {
  const { main } = await runAction({
    inputs: {
      image: 'iam-app:1',
      repository: service,
      tags: 'v1',
      service,
      'task-definition': await taskDefinitionFile(service, taskDefinition),
      containers: 'app',
      'poll-seconds': '0.5',
      ...inputs,
    },
    env: asDeployer(),
    post: false,
  });
  return main;
}

const refused = (since: number) => refusedSince(environment.aws, deployer.arn, since);

describe('each feature succeeds under exactly its documented policy', () => {
  it('push + deploy (roles passed, revision tagged, rollout watched)', async () => {
    await scene('iam-deploy');
    const names = namesFor('iam-deploy');
    hold([policy('push', names), policy('deploy', names)]);
    const since = environment.aws.requests.length;
    const main = await deploy('iam-deploy');
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    // The documented policies leave the policy simulator out: the early check is skipped, in the debug log.
    expect(main.stdout).toMatch(
      /^::debug::Permission check skipped \(AccessDenied: User: \S+ is not authorized to perform: iam:SimulatePrincipalPolicy /m,
    );
    const calls = new Set(environment.aws.requests.slice(since).map((r) => r.operation));
    expect([...calls]).toEqual(
      expect.arrayContaining(['RegisterTaskDefinition', 'UpdateService', 'ListTasks']),
    );
  }, 120_000);

  it('one-off task (run-task) and revision cleanup (keep-revisions)', async () => {
    await scene('iam-tasks');
    const names = namesFor('iam-tasks');
    hold(['push', 'deploy', 'run-task', 'keep-revisions'].map((f) => policy(f, names)));
    const since = environment.aws.requests.length;
    const main = await deploy('iam-tasks', { 'run-task': 'true', 'keep-revisions': '1' });
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    expect(main.outputs['run-task-exit-code']).toBe('0');
    expect(main.outputs['deregistered-task-definitions']).toMatch(/iam-tasks:1/);
  }, 120_000);

  it('rollback: a crashing revision is stopped with ROLLBACK', async () => {
    await scene('iam-undo');
    const names = namesFor('iam-undo');
    hold(['push', 'deploy', 'rollback'].map((f) => policy(f, names)));
    const since = environment.aws.requests.length;
    const crash = [{ name: 'app', image: 'x', essential: true, command: ['sh', '-c', 'exit 1'] }];
    const main = await deploy('iam-undo', {}, { containerDefinitions: crash });
    expect({
      state: main.outputs['rollout-state'],
      refused: refused(since),
      errors: errorLines(main),
    }).toEqual({
      errors: [expect.stringMatching(/rolled .*back to iam-undo:1/)],
      state: 'ROLLED_BACK',
      refused: [],
    });
    expect(main.stdout).toMatch(/StopServiceDeployment/);
  }, 120_000);
});

describe('a call outside the policy fails in one line naming the IAM action and the principal', () => {
  it('deploy without ecs:UpdateService', async () => {
    await scene('iam-denied');
    const names = namesFor('iam-denied');
    hold([policy('push', names), without(policy('deploy', names), 'ecs:UpdateService')]);
    const main = await deploy('iam-denied');
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ecs:UpdateService');
    expect(errors[0]).toContain(deployer.arn);
    expect(errors[0]).toContain(`arn:aws:ecs:us-east-1:${ACCOUNT}:service/default/iam-denied`);
  }, 120_000);

  it('deploy without iam:PassRole on the task role', async () => {
    await scene('iam-nopass');
    const names = { ...namesFor('iam-nopass'), TASK_ROLE: 'some-other-role' };
    hold([policy('push', names), policy('deploy', names)]);
    const main = await deploy('iam-nopass');
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('iam:PassRole');
    expect(errors[0]).toContain(`arn:aws:iam::${ACCOUNT}:role/iam-nopass-task`);
  }, 120_000);
});

describe('before any write, IAM is asked whether the writes are allowed', () => {
  it('a principal without ecs:UpdateService that may simulate is stopped before registering anything', async () => {
    await scene('iam-early');
    const names = namesFor('iam-early');
    const deployPolicy = without(policy('deploy', names), 'ecs:UpdateService');
    const simulate = {
      Effect: 'Allow' as const,
      Action: 'iam:SimulatePrincipalPolicy',
      Resource: deployer.arn,
    };
    hold([policy('push', names), { ...deployPolicy, Statement: [deployPolicy.Statement, simulate].flat() }]);
    const since = environment.aws.requests.length;
    const main = await deploy(
      'iam-early',
      {},
      { containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1.27', essential: true }] },
    );
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/before any change/);
    expect(errors[0]).toContain('ecs:UpdateService');
    expect(errors[0]).toContain(deployer.arn);
    expect(environment.aws.writes().filter((r) => environment.aws.requests.indexOf(r) >= since)).toEqual([]);
  }, 120_000);
});

describe('dry-run: true prints the policy the inputs need', () => {
  it('in the log and the summary; the real run then succeeds under exactly that policy', async () => {
    await scene('iam-dry');
    const inputs = {
      image: 'iam-app:1',
      repository: 'iam-dry',
      tags: 'v1',
      service: 'iam-dry',
      'task-definition': await taskDefinitionFile('iam-dry'),
      containers: 'app',
      'run-task': 'true',
      'keep-revisions': '1',
      'poll-seconds': '0.5',
    };
    const { main: dry } = await runAction({
      inputs: { ...inputs, 'dry-run': 'true' },
      env: environment.env,
      post: false,
    });
    expect({ code: dry.code, errors: errorLines(dry) }).toEqual({ code: 0, errors: [] });
    const { heading, policy: printed } = printedPolicy(dry.stdout);
    expect(heading).toMatch(/push, deploy, rollback, run-task, keep-revisions/);
    expect(JSON.stringify(printed)).not.toMatch(/\b(REGION|ACCOUNT|CLUSTER|SERVICE|FAMILY|REPOSITORY)\b/);
    expect(dry.summary).toContain('IAM policy this run needs');
    expect(dry.summary).toContain(`arn:aws:ecs:us-east-1:${ACCOUNT}:service/default/iam-dry`);

    hold([printed]);
    const since = environment.aws.requests.length;
    const { main } = await runAction({ inputs, env: asDeployer(), post: false });
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
  }, 180_000);
});

describe('the registry refuses a push the policy does not allow, as ECR does (403 DENIED)', () => {
  it('push without ecr:InitiateLayerUpload: one line naming it, nothing registered', async () => {
    await scene('iam-nopush');
    const names = namesFor('iam-nopush');
    hold([without(policy('push', names), 'ecr:InitiateLayerUpload'), policy('deploy', names)]);
    const main = await deploy('iam-nopush');
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ecr:InitiateLayerUpload');
    // As docker prints ECR's answer: `denied: User: … is not authorized to perform: ecr:InitiateLayerUpload …`.
    expect(errors[0]).toContain(`denied: User: ${deployer.arn} is not authorized`);
    expect(environment.aws.state.taskDefinitions('iam-nopush')).toHaveLength(1);
  }, 120_000);
});
