import { describe, expect, it } from '@jest/globals';
import type { Deployment, Task } from '@aws-sdk/client-ecs';
import {
  deploymentLine,
  inDisplayOrder,
  serviceDeploymentLine,
  snapshotLines,
  stoppedTaskLine,
  verdictLine,
  waitingFor,
} from '../../../../src/deploy/rollout/lines.js';
import {
  failed,
  succeeded,
  type RolloutTarget,
  type Snapshot,
} from '../../../../src/deploy/rollout/verdict.js';
import { ChangedLines } from '../../../../src/poll/changed-lines.js';
import { at, dep, sd, stoppedTask, svc, target, TD } from '../fixtures.js';

describe('deploymentLine', () => {
  it.each([
    [
      dep(7, { runningCount: 1, pendingCount: 1 }),
      'PRIMARY rev 7 (new)  running 1/2  pending 1  failed 0  IN_PROGRESS',
    ],
    [
      dep(6, { runningCount: 2, rolloutState: 'COMPLETED' }),
      'ACTIVE rev 6  running 2/2  pending 0  failed 0  COMPLETED',
    ],
    [
      dep(6, { taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/other:3', rolloutState: undefined }),
      'ACTIVE other:3  running 0/2  pending 0  failed 0',
    ],
    [
      dep(7, { failedTasks: 3, rolloutState: 'FAILED' }),
      'PRIMARY rev 7 (new)  running 0/2  pending 0  failed 3  FAILED',
    ],
  ])('%#', (d, line) => {
    expect(deploymentLine(d, target)).toBe(line);
  });

  const rollback: RolloutTarget = {
    ...target,
    taskDefinitionArn: TD(6),
    deploymentId: undefined,
    rollbackOf: TD(7),
  };
  it.each<[string, Deployment, RolloutTarget, boolean]>([
    ['ours, made by this update', dep(7), target, true],
    [
      'ours, a few seconds before the runner clock says the update began',
      dep(7, { createdAt: at(-3) }),
      target,
      true,
    ],
    ['the old deployment a no-op update left PRIMARY', dep(7, { createdAt: at(-90) }), target, false],
    ['another deployment id than UpdateService returned', dep(7, { id: 'ecs-svc/other' }), target, false],
    ['an old revision', dep(6), target, false],
    ['the revision a rollback returns to', dep(6, { status: 'PRIMARY', createdAt: at(40) }), rollback, false],
  ])('(new) on %s: %s', (_what, d, t, isNew) => {
    expect(deploymentLine(d, t).includes('(new)')).toBe(isNew);
  });
});

describe('inDisplayOrder', () => {
  it.each<[string, Deployment[], string[]]>([
    ['PRIMARY before ACTIVE', [dep(6), dep(7)], ['ecs-svc/new', 'ecs-svc/old6']],
    [
      'ACTIVE before any other status, newest first within one',
      [dep(4, { status: 'DRAINING' }), dep(5, { createdAt: at(-7200) }), dep(6), dep(7)],
      ['ecs-svc/new', 'ecs-svc/old6', 'ecs-svc/old5', 'ecs-svc/old4'],
    ],
    [
      'the same order for the same deployments, whatever ECS listed first',
      [dep(6, { createdAt: at(-10) }), dep(5, { createdAt: at(-10) }), dep(7)],
      ['ecs-svc/new', 'ecs-svc/old5', 'ecs-svc/old6'],
    ],
  ])('%s', (_what, deployments, ids) => {
    expect(inDisplayOrder(deployments).map((d) => d.id)).toEqual(ids);
  });
});

describe('waitingFor (the heartbeat)', () => {
  const seen = (deployments: Deployment[], over: Partial<Snapshot> = {}): Snapshot => ({
    service: svc(deployments),
    serviceDeployment: undefined,
    stoppedTasks: [],
    ...over,
  });
  it.each<[string, Snapshot, RolloutTarget, string]>([
    [
      'counts of ours',
      seen([dep(7, { desiredCount: 3, runningCount: 1, pendingCount: 2 })]),
      target,
      'web:7: 1/3 running, 2 pending',
    ],
    [
      'the service deployment and its stage, failed tasks, and the old tasks still running',
      seen([dep(7, { runningCount: 2, failedTasks: 1 }), dep(6, { runningCount: 1 })], {
        serviceDeployment: sd('IN_PROGRESS', { lifecycleStage: 'BAKE_TIME' }),
      }),
      target,
      'web:7: service deployment IN_PROGRESS (stage BAKE_TIME), 2/2 running, 1 failed; web:6 still runs 1 task',
    ],
    [
      'ours not seen yet',
      seen([dep(6, { status: 'PRIMARY', runningCount: 2 })]),
      { ...target, deploymentId: undefined },
      'web:7: no deployment of it seen yet; web:6 still runs 2 tasks',
    ],
    [
      'a rollback',
      seen([dep(6, { status: 'PRIMARY', runningCount: 1 })]),
      { ...target, taskDefinitionArn: TD(6), deploymentId: undefined, rollbackOf: TD(7) },
      'the rollback to web:6: 1/2 running',
    ],
  ])('%s', (_what, snapshot, t, text) => {
    expect(waitingFor(snapshot, t)).toBe(text);
  });
});

describe('verdictLine (the last line)', () => {
  const rollback: RolloutTarget = { ...target, taskDefinitionArn: TD(6), rollbackOf: TD(7) };
  it.each<[string, ReturnType<typeof failed>, RolloutTarget, string]>([
    [
      'a rollout',
      succeeded('ECS reports the deployment of web:7 SUCCESSFUL'),
      target,
      'SUCCESSFUL: ECS reports the deployment of web:7 SUCCESSFUL',
    ],
    ['a failed rollout', failed('crash'), target, 'FAILED: crash'],
    [
      'a rollback that got there: never SUCCESSFUL',
      succeeded('the service is back on web:6'),
      rollback,
      'ROLLED_BACK: the service is back on web:6 after web:7 failed',
    ],
    [
      'a rollback that did not',
      failed('The rollback to web:6 ended ROLLBACK_FAILED'),
      rollback,
      'FAILED: the rollback to web:6 did not finish: The rollback to web:6 ended ROLLBACK_FAILED',
    ],
  ])('%s', (_what, verdict, t, line) => {
    expect(verdictLine(verdict, t)).toBe(line);
  });
});

describe('serviceDeploymentLine', () => {
  it.each([
    [sd('IN_PROGRESS'), 'service deployment IN_PROGRESS'],
    [sd('IN_PROGRESS', { lifecycleStage: 'BAKE_TIME' }), 'service deployment IN_PROGRESS, stage BAKE_TIME'],
    [
      sd('IN_PROGRESS', {
        deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 2, threshold: 3 },
      }),
      'service deployment IN_PROGRESS, circuit breaker 2/3 failed tasks',
    ],
    [
      sd('ROLLBACK_REQUESTED', { alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['p99', '5xx'] } }),
      'service deployment ROLLBACK_REQUESTED, alarms triggered: p99, 5xx',
    ],
  ])('%#', (s, line) => {
    expect(serviceDeploymentLine(s)).toBe(line);
  });
});

describe('stoppedTaskLine', () => {
  it.each<[Task, string]>([
    [stoppedTask('1a2b3c'), 'task 1a2b3c stopped: Essential container in task exited; container app exit 1'],
    [
      stoppedTask('4d5e', {
        stoppedReason: 'Task failed container health checks',
        containers: [
          { name: 'app', exitCode: 137 },
          { name: 'log-router', reason: 'OutOfMemoryError: Container killed due to memory usage' },
        ],
      }),
      'task 4d5e stopped: Task failed container health checks; container app exit 137; ' +
        'container log-router: OutOfMemoryError: Container killed due to memory usage',
    ],
    [
      stoppedTask('77', {
        stoppedReason: 'CannotPullContainerError: x',
        containers: [{ name: 'app', reason: 'CannotPullContainerError: x' }],
      }),
      'task 77 stopped: CannotPullContainerError: x',
    ],
  ])('%#', (task, line) => {
    expect(stoppedTaskLine(task)).toBe(line);
  });
});

describe('snapshotLines, as the poller prints them', () => {
  /** What the poller shows as news, poll after poll, from the lines of each snapshot. */
  const newTracker = () => {
    const memory = new ChangedLines();
    return { changes: (s: Snapshot, newly: Task[]) => memory.news(snapshotLines(s, newly, target)) };
  };

  const snap = (over: Partial<Snapshot>): Snapshot => ({
    service: svc([dep(7)]),
    serviceDeployment: undefined,
    stoppedTasks: [],
    ...over,
  });

  it('prints new events oldest first, skips events from before the deploy, and never repeats', () => {
    const tracker = newTracker();
    const events = [
      { id: 'b', createdAt: at(20), message: 'second' },
      { id: 'a', createdAt: at(10), message: 'first' },
      { id: 'old', createdAt: at(-5), message: 'before our deploy' },
    ];
    expect(tracker.changes(snap({ service: svc([], { events }) }), [])).toEqual(['first', 'second']);
    const more = [{ id: 'c', createdAt: at(30), message: 'third' }, ...events];
    expect(tracker.changes(snap({ service: svc([], { events: more }) }), [])).toEqual(['third']);
  });

  it('prints a deployment or service-deployment line only when it changes', () => {
    const tracker = newTracker();
    const first = snap({ serviceDeployment: sd('IN_PROGRESS') });
    expect(tracker.changes(first, [])).toHaveLength(2);
    expect(tracker.changes(first, [])).toEqual([]);
    expect(
      tracker.changes(
        snap({ service: svc([dep(7, { runningCount: 1 })]), serviceDeployment: sd('IN_PROGRESS') }),
        [],
      ),
    ).toEqual(['PRIMARY rev 7 (new)  running 1/2  pending 0  failed 0  IN_PROGRESS']);
  });

  it('prints the newly stopped tasks it is given', () => {
    const tracker = newTracker();
    tracker.changes(snap({}), []);
    expect(tracker.changes(snap({}), [stoppedTask('ff')])).toEqual([
      'task ff stopped: Essential container in task exited; container app exit 1',
    ]);
  });
});
