import { describe, expect, it } from '@jest/globals';
import type { Service } from '@aws-sdk/client-ecs';
import { conclusiveFailure } from '../../../../src/deploy/rollout/evidence.js';
import { judge } from '../../../../src/deploy/rollout/judge.js';
import type { Snapshot } from '../../../../src/deploy/rollout/verdict.js';
import { at, dep, PULL_REASON, sd, STARTED, stoppedTask, svc, target, TD } from '../fixtures.js';

const crash = stoppedTask('c1', {
  stopCode: 'EssentialContainerExited',
  containers: [
    { name: 'envoy', exitCode: 143 },
    { name: 'app', exitCode: 3 },
  ],
});
const unhealthy = stoppedTask('h1', {
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: 'Task failed container health checks',
  containers: [{ name: 'app', exitCode: 0, healthStatus: 'UNHEALTHY' }],
});
const scaledIn = stoppedTask('s1', {
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/new)',
  containers: [{ name: 'app', exitCode: 0 }],
});
const placement = (when: Date): Service =>
  svc([dep(7), dep(6, { rolloutState: 'COMPLETED' })], {
    events: [
      {
        id: 'p1',
        createdAt: when,
        message:
          '(service web) was unable to place a task because no container instance met all of its requirements.',
      },
    ],
  });
const plain = svc([dep(7), dep(6, { rolloutState: 'COMPLETED' })]);
const withBreaker = svc([dep(7), dep(6, { rolloutState: 'COMPLETED' })], {
  deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
});

describe('conclusiveFailure: which evidence ends the watch before ECS does', () => {
  it.each<[string, Service, Snapshot['stoppedTasks'], string | undefined, RegExp | undefined]>([
    [
      'a crash names the container that exited, not the one signalled',
      plain,
      [crash],
      undefined,
      /^Task c1 stopped: essential container 'app' exited with code 3: Essential container in task exited$/,
    ],
    ['a crash fails fast even with the breaker on', withBreaker, [crash], 'MONITORING', /exited with code 3/],
    [
      'an unhealthy task without the breaker',
      plain,
      [unhealthy],
      undefined,
      /^Task h1 stopped: container 'app' never passed its health check: Task failed container health checks$/,
    ],
    [
      'an unhealthy task while the breaker judges: wait for ECS',
      withBreaker,
      [unhealthy],
      'MONITORING',
      undefined,
    ],
    ['breaker off per the service deployment', withBreaker, [unhealthy], 'DISABLED', /never passed/],
    [
      'a pull failure',
      plain,
      [stoppedTask('p', { stoppedReason: PULL_REASON, containers: [{ name: 'app', reason: PULL_REASON }] })],
      undefined,
      /could not pull its image/,
    ],
    ['a task the scheduler stopped is no evidence', plain, [scaledIn], undefined, undefined],
    [
      'a placement failure event after the deploy',
      placement(at(2)),
      [],
      undefined,
      /^ECS cannot place the new tasks: \(service web\) was unable to place a task/,
    ],
    ['a placement failure from before the deploy is old news', placement(at(-60)), [], undefined, undefined],
  ])('%s', (_name, service, tasks, breaker, expected) => {
    const found = conclusiveFailure(service, tasks, STARTED, breaker);
    if (expected) expect(found).toMatch(expected);
    else expect(found).toBeUndefined();
  });
});

describe('judge: who undoes a failure', () => {
  const snap = (over: Partial<Snapshot>): Snapshot => ({
    service: plain,
    serviceDeployment: undefined,
    stoppedTasks: [],
    ...over,
  });
  it.each<[string, Snapshot, object]>([
    ['a crash: ecs-ship may', snap({ stoppedTasks: [crash] }), { state: 'FAILED', rollback: 'ours' }],
    [
      'the breaker stopped it without rollback: ecs-ship may',
      snap({ serviceDeployment: sd('STOPPED', { statusReason: 'circuit breaker' }) }),
      { state: 'FAILED', rollback: 'ours' },
    ],
    [
      'ECS is rolling back: wait for it',
      snap({
        service: svc([dep(6, { status: 'PRIMARY' }), dep(7, { status: 'ACTIVE', rolloutState: 'FAILED' })]),
        serviceDeployment: sd('ROLLBACK_IN_PROGRESS'),
      }),
      { state: 'FAILED', rollback: 'ecs' },
    ],
    [
      'ECS rolled back: done, and says where to',
      snap({
        service: svc([dep(6, { status: 'PRIMARY', rolloutState: 'COMPLETED' })]),
        serviceDeployment: sd('ROLLBACK_SUCCESSFUL'),
        stoppedTasks: [unhealthy],
      }),
      {
        state: 'ROLLED_BACK',
        rolledBackTo: TD(6),
        reason: expect.stringMatching(
          /; last failed task h1: Task failed container health checks \(container 'app' UNHEALTHY\)$/,
        ),
      },
    ],
    [
      'superseded by someone else: leave it',
      snap({ service: svc([dep(8, { status: 'PRIMARY' })]), serviceDeployment: sd('STOPPED') }),
      { state: 'FAILED' },
    ],
  ])('%s', (_name, snapshot, expected) => {
    const verdict = judge(snapshot, target);
    expect(verdict).toMatchObject({ done: true, success: false, ...expected });
    // No hint at all means: leave the service alone.
    expect('rollback' in verdict).toBe('rollback' in expected);
  });
});
