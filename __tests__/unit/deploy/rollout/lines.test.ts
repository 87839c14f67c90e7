import { describe, expect, it } from '@jest/globals';
import type { Task } from '@aws-sdk/client-ecs';
import {
  deploymentLine,
  serviceDeploymentLine,
  snapshotLines,
  stoppedTaskLine,
} from '../../../../src/deploy/rollout/lines.js';
import type { Snapshot } from '../../../../src/deploy/rollout/verdict.js';
import { ChangedLines } from '../../../../src/poll/changed-lines.js';
import { at, dep, sd, stoppedTask, svc, target } from '../fixtures.js';

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
    return { changes: (s: Snapshot, newly: Task[]) => memory.sort(snapshotLines(s, newly, target)).news };
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
