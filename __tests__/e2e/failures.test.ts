import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { lastCallAt, runAction, type StepResult } from '../../sandbox/runner.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  taskDefinitionFile,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';

/**
 * Every way a rollout fails, run as the runner runs the bundled action against the sandbox: the step must
 * fail within one poll of the sandbox's first failure signal, say why in the log, and (rollback: auto)
 * leave the service on the revision it ran before.
 */

const POLL = 0.5; // seconds
// One poll, plus the calls of the poll that sees the failure, on a busy 2-core machine.
const WITHIN = POLL + 0.6;

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(
    environment.env,
    'breaker',
    'crash',
    'denied',
    'ecsundo',
    'keep',
    'leave',
    'noroom',
    'reupdate',
    'sick',
    'undo',
  );
  ecs = sandboxEcs(environment.env);
  await buildTinyImage(environment.env, 'fail-app:1');
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

interface Scenario {
  service: string;
  /** Merged into the container that gets the image. */
  container?: Record<string, unknown>;
  taskDefinition?: Record<string, unknown>;
  breaker?: { enable: boolean; rollback: boolean };
  rollback: 'auto' | 'false';
  desiredCount?: number;
}

async function deploy(s: Scenario): Promise<{ main: StepResult; previous: string; service: () => Service }> {
  const { taskDefinitionArn: previous } = await seedService(ecs, {
    service: s.service,
    desiredCount: s.desiredCount ?? 2,
  });
  await waitSteady(ecs, s.service);
  if (s.breaker) {
    await ecs.send(
      new UpdateServiceCommand({
        service: s.service,
        deploymentConfiguration: { deploymentCircuitBreaker: s.breaker },
      }),
    );
  }
  const file = await taskDefinitionFile(s.service, {
    containerDefinitions: [{ name: 'app', image: 'placeholder', essential: true, ...s.container }],
    ...s.taskDefinition,
  });
  const { main } = await runAction({
    inputs: {
      image: 'fail-app:1',
      repository: s.service,
      tags: 'v1',
      service: s.service,
      'task-definition': file,
      containers: 'app',
      'poll-seconds': String(POLL),
      rollback: s.rollback,
    },
    env: environment.env,
    post: false,
  });
  return { main, previous, service: () => environment.aws.state.service(s.service) as Service };
}

/** When the sandbox first showed the failure: a stopped task of the new revision, or a placement event. */
function firstStop(service: string, taskDefinitionArn: string | undefined): number {
  const stops = environment.aws.state
    .tasksOf(service)
    .filter((t) => t.taskDefinitionArn === taskDefinitionArn && t.stoppedAt)
    .map((t) => (t.stoppedAt as Date).getTime());
  return Math.min(...stops);
}

/** From the sandbox's failure signal to the step's verdict (its last AWS call), both on the sandbox's log. */
function secondsSince(main: StepResult, signal: number): number {
  return (lastCallAt(main, environment.aws.requests) - signal) / 1000;
}

function errorLine(main: StepResult): string {
  return main.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '(no error line)';
}

describe('the step fails within one poll of the first failure signal, saying why', () => {
  it('an essential container that exits non-zero: names the container and its exit code', async () => {
    const { main } = await deploy({
      service: 'crash',
      container: { command: ['sh', '-c', 'exit 3'] },
      rollback: 'false',
    });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(
      /essential container 'app' exited with code 3: Essential container in task exited/,
    );
    expect(main.outputs['rollout-state']).toBe('FAILED');
    expect(secondsSince(main, firstStop('crash', main.outputs['task-definition-arn']))).toBeLessThanOrEqual(
      WITHIN,
    );
  }, 60_000);

  it('a health check that never passes: names the container and the health check', async () => {
    const { main } = await deploy({
      service: 'sick',
      container: { healthCheck: { command: ['CMD-SHELL', 'exit 1'], interval: 5, retries: 1 } },
      rollback: 'false',
    });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(
      /container 'app' never passed its health check: Task failed container health checks/,
    );
    expect(secondsSince(main, firstStop('sick', main.outputs['task-definition-arn']))).toBeLessThanOrEqual(
      WITHIN,
    );
  }, 60_000);

  it('tasks that cannot be placed: quotes the placement event', async () => {
    const { main, service } = await deploy({
      service: 'noroom',
      taskDefinition: { placementConstraints: [{ type: 'memberOf', expression: 'attribute:gpu exists' }] },
      rollback: 'false',
    });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(/ECS cannot place the new tasks: .*unable to place a task/);
    const event = (service().events ?? []).find((e) => e.message?.includes('unable to place a task'));
    expect(secondsSince(main, event?.createdAt?.getTime() ?? 0)).toBeLessThanOrEqual(WITHIN);
  }, 60_000);

  it('the circuit breaker trips (health checks, breaker on): reports the breaker and the last failure', async () => {
    const { main } = await deploy({
      service: 'breaker',
      container: { healthCheck: { command: ['CMD-SHELL', 'exit 1'], interval: 5, retries: 1 } },
      breaker: { enable: true, rollback: false },
      rollback: 'false',
    });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(
      /circuit breaker triggered after \d+ failed tasks \(threshold 3\).*; last failed task \w+: Task failed container health checks \(container 'app' UNHEALTHY\)/,
    );
    const sd = environment.aws.state.serviceDeploymentsOf('breaker')[0];
    expect(sd?.status).toBe('STOPPED');
    expect(secondsSince(main, sd?.stoppedAt?.getTime() ?? 0)).toBeLessThanOrEqual(WITHIN);
  }, 60_000);

  it('permission denied: ends at once naming the IAM action, no retries', async () => {
    environment.aws.denied.add('ListTasks');
    let main: StepResult;
    try {
      ({ main } = await deploy({ service: 'denied', rollback: 'auto' }));
    } finally {
      environment.aws.denied.clear();
    }
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(/Access denied for ecs:ListTasks/);
    expect(main.stdout).not.toMatch(/retrying in/);
    const listTasks = environment.aws.requests.filter((r) => r.operation === 'ListTasks' && r.fault);
    expect(listTasks).toHaveLength(1);
    // Not a failed rollout: nothing to roll back.
    expect(main.outputs['rolled-back-to']).toBe('');
  }, 60_000);
});

describe('rollback', () => {
  it('auto, after a crash ECS does not undo: StopServiceDeployment(ROLLBACK), back on the previous revision', async () => {
    const { main, previous, service } = await deploy({
      service: 'undo',
      container: { command: ['sh', '-c', 'exit 1'] },
      rollback: 'auto',
    });
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(main.outputs['rolled-back-to']).toBe(previous);
    expect(main.stdout).toMatch(/rolling back: returning undo to undo:1/);
    expect(errorLine(main)).toMatch(
      /ecs-ship rolled \(via StopServiceDeployment \(ROLLBACK\)\) the service back to undo:1/,
    );
    expect(service().deployments?.map((d) => [d.status, d.taskDefinition, d.runningCount])).toEqual([
      ['PRIMARY', previous, 2],
    ]);
    expect(environment.aws.state.serviceDeploymentsOf('undo')[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(main.summary).toMatch(/rolled back/);
  }, 60_000);

  it('auto, after the breaker stopped the deployment without rolling back: UpdateService to the previous revision', async () => {
    const { main, previous, service } = await deploy({
      service: 'reupdate',
      container: { healthCheck: { command: ['CMD', 'false'], interval: 5, retries: 1 } },
      breaker: { enable: true, rollback: false },
      rollback: 'auto',
    });
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(main.outputs['rolled-back-to']).toBe(previous);
    expect(main.stdout).toMatch(/StopServiceDeployment was not possible \(ConflictException/);
    expect(errorLine(main)).toMatch(/via UpdateService\) the service back to reupdate:1/);
    expect(service().deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([['PRIMARY', previous]]);
  }, 60_000);

  it("ECS's own circuit-breaker rollback is reported as ROLLED_BACK (never success), with the revision", async () => {
    const before = environment.aws.requests.length;
    const { main, previous, service } = await deploy({
      service: 'ecsundo',
      container: { healthCheck: { command: ['CMD', 'false'], interval: 5, retries: 1 } },
      breaker: { enable: true, rollback: true },
      rollback: 'auto',
    });
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(main.outputs['rolled-back-to']).toBe(previous);
    expect(errorLine(main)).toMatch(
      /ECS rolled back the deployment of ecsundo:2; the service is back on ecsundo:1/,
    );
    // ecs-ship did not start a rollback of its own.
    const ours = environment.aws.requests.slice(before).map((r) => r.operation);
    expect(ours).not.toContain('StopServiceDeployment');
    expect(ours.filter((o) => o === 'UpdateService')).toHaveLength(2); // the seed's breaker setting, the deploy
    expect(service().deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([['PRIMARY', previous]]);
  }, 60_000);

  it('false leaves the failed revision in place', async () => {
    const { main, service } = await deploy({
      service: 'leave',
      container: { command: ['sh', '-c', 'exit 1'] },
      rollback: 'false',
    });
    expect(main.outputs['rollout-state']).toBe('FAILED');
    expect(main.outputs['rolled-back-to']).toBe('');
    expect(service().deployments?.[0]?.taskDefinition).toBe(main.outputs['task-definition-arn']);
  }, 60_000);
});
