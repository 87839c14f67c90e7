import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { previousRevision, rollBackIfNeeded, type RollbackOptions } from '../../../src/deploy/rollback.js';
import type { RolloutResult } from '../../../src/deploy/rollout/watch.js';
import { at, dep, sd, svc, target, TD } from './fixtures.js';
import { fakeClock, type FakeClock } from '../poll/fake-clock.js';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

let lines: string[] = [];
let clock: FakeClock;
const options = (over: Partial<RollbackOptions> = {}): RollbackOptions => ({
  mode: 'auto',
  pollSeconds: 5,
  timeoutMinutes: 1,
  log: (l) => lines.push(l),
  clock,
  ...over,
});

const failed = (over: Partial<RolloutResult> & { noHint?: boolean } = {}): RolloutResult => {
  const { noHint, ...rest } = over;
  const result: RolloutResult = {
    state: 'FAILED',
    success: false,
    reason: "Task t1 stopped: essential container 'app' exited with code 3",
    serviceDeploymentArn: SD_ARN,
    deploymentId: 'ecs-svc/new',
    durationMs: 20_000,
    timeline: [{ at: new Date(0), text: '[  20s] FAILED: crash' }],
    rollback: 'ours',
    ...rest,
  };
  if (noHint) delete result.rollback;
  return result;
};

const failing = svc([dep(7, { failedTasks: 1 }), dep(6, { runningCount: 2, rolloutState: 'COMPLETED' })]);
const back = svc([dep(6, { status: 'PRIMARY', runningCount: 2, rolloutState: 'COMPLETED' })]);

beforeEach(() => {
  ecsMock.reset();
  lines = [];
  clock = fakeClock(STARTED_MS);
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
});
const STARTED_MS = at(30).getTime();

describe('previousRevision', () => {
  it.each([
    ['the completed one before ours', svc([dep(7), dep(6, { rolloutState: 'COMPLETED' })]), TD(6)],
    [
      'the newest completed one when several are draining',
      svc([
        dep(7),
        dep(5, { rolloutState: 'COMPLETED', createdAt: at(-7200) }),
        dep(6, { rolloutState: 'COMPLETED' }),
      ]),
      TD(6),
    ],
    ['none when ours is the only deployment', svc([dep(7)]), undefined],
  ])('%s', (_name, service, expected) => {
    expect(previousRevision(service, target)).toBe(expected);
  });
});

describe('rollBackIfNeeded', () => {
  it('stops our service deployment with ROLLBACK and waits until ECS reports it ROLLBACK_SUCCESSFUL', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [failing] })
      .resolves({ services: [back] });
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD_ARN });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [sd('ROLLBACK_SUCCESSFUL')] });

    const result = await rollBackIfNeeded(ecs, target, failed(), options());

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArn: SD_ARN,
      stopType: 'ROLLBACK',
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(result).toMatchObject({
      state: 'ROLLED_BACK',
      success: false,
      rolledBackTo: TD(6),
      reason:
        "Task t1 stopped: essential container 'app' exited with code 3. ecs-ship rolled (via StopServiceDeployment (ROLLBACK)) the service back to web:6",
    });
    expect(result.timeline[0]?.text).toBe('[  20s] FAILED: crash');
    expect(result.timeline.length).toBeGreaterThan(1);
    // The rollback's end reads as a rollback; the revision it returns to is never called new.
    expect(lines.at(-1)).toMatch(
      /^\[\s*\d+s\] ROLLED_BACK: the service is back on web:6 after web:7 failed$/,
    );
    expect(lines.filter((l) => /SUCCESSFUL: |\(new\)/.test(l))).toEqual([]);
  });

  it.each([
    ['ConflictException', 'the deployment is already over'],
    ['AccessDeniedException', 'not allowed to stop deployments'],
    ['UnknownOperationException', 'not offered here'],
  ])('falls back to UpdateService when StopServiceDeployment fails with %s (%s)', async (name) => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [failing] })
      .resolves({ services: [back] });
    ecsMock.on(StopServiceDeploymentCommand).rejects(Object.assign(new Error('no'), { name }));
    ecsMock.on(UpdateServiceCommand).resolves({
      service: svc([dep(6, { id: 'ecs-svc/back', status: 'PRIMARY' }), dep(7, { status: 'ACTIVE' })]),
    });

    const result = await rollBackIfNeeded(ecs, target, failed(), options());

    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: TD(6),
    });
    expect(lines).toContainEqual(expect.stringContaining(`StopServiceDeployment was not possible (${name}`));
    expect(result).toMatchObject({ state: 'ROLLED_BACK', rolledBackTo: TD(6) });
  });

  it('waits for a rollback ECS already started instead of starting its own', async () => {
    const rollingBack = svc([
      dep(6, { status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }),
      dep(7, { status: 'ACTIVE', rolloutState: 'FAILED' }),
    ]);
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [rollingBack] })
      .resolvesOnce({ services: [rollingBack] })
      .resolves({ services: [back] });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [sd('ROLLBACK_IN_PROGRESS')] })
      .resolves({ serviceDeployments: [sd('ROLLBACK_SUCCESSFUL')] });

    const result = await rollBackIfNeeded(ecs, target, failed({ rollback: 'ecs' }), options());

    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(result).toMatchObject({ state: 'ROLLED_BACK', rolledBackTo: TD(6) });
    expect(result.reason).toMatch(/ECS rolled the service back to web:6$/);
  });

  it.each([
    ['rollback: false', failed(), options({ mode: 'false' })],
    ['not a rollout failure (access denied, someone else deployed)', failed({ noHint: true }), options()],
    ['ECS already rolled back', failed({ state: 'ROLLED_BACK', rolledBackTo: TD(6) }), options()],
    [
      'a timeout during which ECS never answered (the watch gives no hint)',
      failed({
        state: 'TIMED_OUT',
        reason: 'ECS never answered in 1 min of waiting for web:7',
        noHint: true,
      }),
      options(),
    ],
  ])('leaves the service alone: %s', async (_name, given, opts) => {
    expect(await rollBackIfNeeded(ecs, target, given, opts)).toBe(given);
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('says so when the rollback itself fails, keeping the first reason', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failing] });
    ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: SD_ARN });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [sd('ROLLBACK_FAILED', { statusReason: 'tasks failed to start' })],
    });

    const result = await rollBackIfNeeded(ecs, target, failed(), options());

    expect(result.state).toBe('FAILED');
    expect(result.reason).toMatch(
      /exited with code 3\. Rolling back to web:6 failed too: The rollback to web:6 ended ROLLBACK_FAILED: tasks failed to start$/,
    );
    expect(result.rolledBackTo).toBeUndefined();
  });

  it('writes nothing when DescribeServices does not show the service', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    const result = await rollBackIfNeeded(ecs, target, failed(), options());
    expect(result.state).toBe('FAILED');
    expect(ecsMock.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(lines).toContain('rollback: ECS does not show the service; it is left as it is');
  });

  it('has nothing to return to on a first deployment', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [svc([dep(7)])] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('IN_PROGRESS')] });
    const result = await rollBackIfNeeded(ecs, target, failed(), options());
    expect(result.state).toBe('FAILED');
    expect(lines).toContain('rollback: no previous revision to return to; the service is left as it is');
  });
});
