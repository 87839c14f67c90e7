import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { AwsError } from '../../sandbox/http.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(environment.env, 'cart', 'journal', 'ledger', 'pay', 'stock');
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

async function deploy(name: string, inputs: Record<string, string>): Promise<StepResult> {
  await buildTinyImage(environment.env, `${name}-app:build-1`);
  const { main } = await runAction({
    inputs: { image: `${name}-app:build-1`, repository: name, tags: 'v1', 'poll-seconds': '0.2', ...inputs },
    env: environment.env,
    post: false,
  });
  return main;
}

/** Writes to ECS this step made, in order (ECR's are login and tagging, not what these tests are about). */
function ecsWritesSince(index: number): string[] {
  return environment.aws.requests
    .slice(index)
    .filter((r) => r.write && r.service === 'ecs')
    .map((r) => r.operation);
}

async function serviceRevision(service: string): Promise<string | undefined> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: 'default', services: [service] }));
  return out.services?.[0]?.taskDefinition;
}

describe('several services from one revision', () => {
  it('updates and watches each, prefixes their lines, and reports each', async () => {
    await seedService(ecs, { service: 'cart', desiredCount: 2 });
    await seedService(ecs, { service: 'cart-worker', desiredCount: 1 });
    await Promise.all([waitSteady(ecs, 'cart'), waitSteady(ecs, 'cart-worker')]);

    const main = await deploy('cart', { service: 'cart\ncart-worker', 'desired-count': '3' });

    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    const arn = main.outputs['task-definition-arn'];
    expect(await serviceRevision('cart')).toBe(arn);
    expect(await serviceRevision('cart-worker')).toBe(arn);
    expect(environment.aws.state.service('cart-worker')?.runningCount).toBe(3);
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const rollouts = JSON.parse(main.outputs.rollouts ?? '[]') as Array<{ service: string; state: string }>;
    expect(rollouts.map((r) => [r.service, r.state])).toEqual([
      ['cart', 'SUCCESSFUL'],
      ['cart-worker', 'SUCCESSFUL'],
    ]);
    // Watched side by side: each service's verdict line is there, under its own name.
    expect(main.stdout).toMatch(/^\[cart\] .*SUCCESSFUL/m);
    expect(main.stdout).toMatch(/^\[cart-worker\] .*SUCCESSFUL/m);
    expect(main.summary).toContain('### Services');
    expect(main.summary).toMatch(/\| `cart-worker` \| ✅ `SUCCESSFUL` \|/);
    expect(main.summary).toMatch(/\[cart-worker\] \[ *\d+s\] .*SUCCESSFUL/);
  }, 120_000);

  it('fails the step when one service fails, and still finishes and reports the other', async () => {
    await seedService(ecs, { service: 'pay', desiredCount: 1 });
    await seedService(ecs, { service: 'pay-audit', desiredCount: 1 });
    await Promise.all([waitSteady(ecs, 'pay'), waitSteady(ecs, 'pay-audit')]);
    environment.aws.intercept = (ctx) =>
      ctx.operation === 'UpdateService' && ctx.body.service === 'pay-audit'
        ? new AwsError('AccessDeniedException', 'not authorized to perform ecs:UpdateService on pay-audit')
        : undefined;
    let main: StepResult;
    try {
      main = await deploy('pay', { service: 'pay, pay-audit' });
    } finally {
      environment.aws.intercept = undefined;
    }

    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      expect.stringMatching(/^::error::Rollout failed on 1 of 2 services: pay-audit FAILED: Access denied/),
    ]);
    expect(main.outputs['rollout-state']).toBe('FAILED');
    expect(await serviceRevision('pay')).toBe(main.outputs['task-definition-arn']);
    const rollouts = JSON.parse(main.outputs.rollouts ?? '[]') as Array<{ service: string; state: string }>;
    expect(rollouts.map((r) => [r.service, r.state])).toEqual([
      ['pay', 'SUCCESSFUL'],
      ['pay-audit', 'FAILED'],
    ]);
    expect(main.summary).toMatch(/^## ❌ Rollout to pay-audit \(cluster default\) failed/);
  }, 120_000);
});

describe('a one-off task before the update', () => {
  it('runs the new revision, and updates the service once it exits 0', async () => {
    await seedService(ecs, { service: 'ledger', desiredCount: 1 });
    await waitSteady(ecs, 'ledger');
    const before = environment.aws.requests.length;

    const main = await deploy('ledger', {
      service: 'ledger',
      'run-task': '["sh", "-c", "sleep 2 && exit 0"]',
    });

    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(ecsWritesSince(before)).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    const arn = main.outputs['task-definition-arn'];
    const task = [...environment.aws.state.ecs.tasks.values()].find(
      (t) => t.arn === main.outputs['run-task-arn'],
    );
    expect(task).toMatchObject({ taskDefinitionArn: arn, lastStatus: 'STOPPED', launchType: 'FARGATE' });
    expect(main.outputs['run-task-exit-code']).toBe('0');
    expect(main.stdout).toMatch(/one-off task \w+: RUNNING/);
    expect(main.stdout).toMatch(/ledger: exit code 0/);
    expect(await serviceRevision('ledger')).toBe(arn);
    expect(main.summary).toMatch(/\| One-off task \| `SUCCEEDED` \(ledger exit 0\) \|/);
  }, 120_000);

  it('fails on a non-zero exit code before any service is touched', async () => {
    const { taskDefinitionArn: seeded } = await seedService(ecs, { service: 'journal', desiredCount: 1 });
    await waitSteady(ecs, 'journal');
    const before = environment.aws.requests.length;

    const main = await deploy('journal', { service: 'journal', 'run-task': '["sh","-c","exit 3"]' });

    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      expect.stringMatching(
        /^::error::One-off task \w+ failed: container 'journal' exited with code 3; .*No service was updated\.$/,
      ),
    ]);
    expect(ecsWritesSince(before)).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(await serviceRevision('journal')).toBe(seeded);
    expect(main.outputs['run-task-exit-code']).toBe('3');
    expect(main.outputs['rollout-state']).toBe('NOT_STARTED');
    expect(main.summary).toMatch(/^## ❌ One-off task failed, no service updated/);
  }, 120_000);
});

describe('revision cleanup', () => {
  it('deregisters old revisions of the family, never the newest N or one a service uses', async () => {
    await seedService(ecs, { service: 'stock', desiredCount: 1 }); // stock:1
    const more: string[] = [];
    for (let i = 0; i < 3; i++) {
      // stock:2, :3, :4
      const out = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'stock',
          containerDefinitions: [
            { name: 'stock', image: 'public.ecr.aws/nginx/nginx:stable', essential: true },
          ],
        }),
      );
      more.push(out.taskDefinition?.taskDefinitionArn ?? '');
    }
    // Another service of the cluster still runs stock:2.
    await ecs.send(
      new CreateServiceCommand({ serviceName: 'stock-canary', taskDefinition: more[0], desiredCount: 1 }),
    );
    await Promise.all([waitSteady(ecs, 'stock'), waitSteady(ecs, 'stock-canary')]);

    const main = await deploy('stock', { service: 'stock', 'keep-revisions': '2' });

    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['task-definition-arn']).toMatch(/\/stock:5$/);
    const status = environment.aws.state.taskDefinitions('stock').map((td) => [td.revision, td.status]);
    expect(status).toEqual([
      [1, 'INACTIVE'],
      [2, 'ACTIVE'], // stock-canary runs it
      [3, 'INACTIVE'],
      [4, 'ACTIVE'], // newest two: 5 and 4
      [5, 'ACTIVE'],
    ]);
    expect((main.outputs['deregistered-task-definitions'] ?? '').split('\n')).toEqual([
      expect.stringMatching(/\/stock:3$/),
      expect.stringMatching(/\/stock:1$/),
    ]);
    expect(main.stdout).toMatch(/Deregistered stock:3/);
    expect(main.summary).toMatch(/\| Deregistered \| `stock:3`, `stock:1` \|/);
  }, 120_000);
});
