import { describe, expect, it } from '@jest/globals';
import { pullFailure } from '../../../../src/deploy/rollout/evidence.js';
import { describePending, judge } from '../../../../src/deploy/rollout/judge.js';
import type { Snapshot } from '../../../../src/deploy/rollout/verdict.js';
import { dep, PULL_IMAGE, PULL_REASON, sd, stoppedTask, svc, target } from '../fixtures.js';

const snap = (over: Partial<Snapshot>): Snapshot => ({
  service: svc([dep(7), dep(6, { runningCount: 2, rolloutState: 'COMPLETED' })]),
  serviceDeployment: undefined,
  stoppedTasks: [],
  ...over,
});

const rolledBackService = svc([dep(6, { status: 'PRIMARY', runningCount: 2, rolloutState: 'COMPLETED' })]);

describe('judge', () => {
  it.each<[string, Snapshot, { done: boolean; success?: boolean; state?: string; reason?: RegExp }]>([
    ['rollout just started', snap({}), { done: false }],
    ['service deployment IN_PROGRESS', snap({ serviceDeployment: sd('IN_PROGRESS') }), { done: false }],
    ['service deployment PENDING', snap({ serviceDeployment: sd('PENDING') }), { done: false }],
    [
      'service deployment SUCCESSFUL and ours is PRIMARY',
      snap({ service: svc([dep(7, { runningCount: 2 })]), serviceDeployment: sd('SUCCESSFUL') }),
      { done: true, success: true, state: 'SUCCESSFUL', reason: /web:7 SUCCESSFUL/ },
    ],
    [
      'service deployment SUCCESSFUL but another revision is PRIMARY now',
      snap({ service: svc([dep(8, { status: 'PRIMARY' })]), serviceDeployment: sd('SUCCESSFUL') }),
      { done: true, success: false, state: 'FAILED', reason: /now runs web:8/ },
    ],
    [
      'circuit-breaker rollback finished is ROLLED_BACK, not success',
      snap({
        service: rolledBackService,
        serviceDeployment: sd('ROLLBACK_SUCCESSFUL', {
          statusReason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
          deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
        }),
      }),
      {
        done: true,
        success: false,
        state: 'ROLLED_BACK',
        reason:
          /back on web:6 \(circuit breaker triggered after 3 failed tasks \(threshold 3\)\): Service deployment rolled back/,
      },
    ],
    [
      'rollback in progress fails at once',
      snap({ service: rolledBackService, serviceDeployment: sd('ROLLBACK_IN_PROGRESS') }),
      {
        done: true,
        success: false,
        state: 'FAILED',
        reason: /rolling back the deployment of web:7 to web:6/,
      },
    ],
    [
      'rollback requested by alarms',
      snap({
        serviceDeployment: sd('ROLLBACK_REQUESTED', {
          alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['5xx-high'] },
        }),
      }),
      { done: true, success: false, state: 'FAILED', reason: /alarms in ALARM: 5xx-high/ },
    ],
    [
      'rollback failed',
      snap({ serviceDeployment: sd('ROLLBACK_FAILED') }),
      { done: true, success: false, state: 'FAILED', reason: /so did ECS's rollback/ },
    ],
    [
      'stopped by someone',
      snap({ serviceDeployment: sd('STOPPED', { statusReason: 'Stopped by user' }) }),
      { done: true, success: false, state: 'FAILED', reason: /was stopped \(STOPPED\): Stopped by user/ },
    ],
    [
      'stop requested',
      snap({ serviceDeployment: sd('STOP_REQUESTED') }),
      { done: true, success: false, state: 'FAILED', reason: /STOP_REQUESTED/ },
    ],
    [
      'service deployment FAILED',
      snap({ serviceDeployment: sd('FAILED', { statusReason: 'lifecycle hook failed' }) }),
      { done: true, success: false, state: 'FAILED', reason: /failed: lifecycle hook failed/ },
    ],
    [
      'fallback: ours COMPLETED, PRIMARY, full and alone',
      snap({ service: svc([dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })]) }),
      { done: true, success: true, state: 'SUCCESSFUL', reason: /only deployment, COMPLETED, running 2\/2/ },
    ],
    [
      'fallback: COMPLETED but the old deployment is still draining',
      snap({
        service: svc([dep(7, { runningCount: 2, rolloutState: 'COMPLETED' }), dep(6, { runningCount: 1 })]),
      }),
      { done: false },
    ],
    [
      'fallback: COMPLETED, alone, but running below desired',
      snap({ service: svc([dep(7, { runningCount: 1, rolloutState: 'COMPLETED' })]) }),
      { done: false },
    ],
    [
      'fallback: all running but rollout still IN_PROGRESS',
      snap({ service: svc([dep(7, { runningCount: 2, rolloutState: 'IN_PROGRESS' })]) }),
      { done: false },
    ],
    [
      'counts complete but the service deployment is still baking: not done',
      snap({
        service: svc([dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })]),
        serviceDeployment: sd('IN_PROGRESS', { lifecycleStage: 'BAKE_TIME' }),
      }),
      { done: false },
    ],
    [
      'fallback: ours rolloutState FAILED, ECS rolled back and finished',
      snap({
        service: svc([dep(6, { status: 'PRIMARY', runningCount: 2, rolloutState: 'COMPLETED' })]),
      }),
      { done: true, success: false, state: 'FAILED', reason: /PRIMARY deployment runs web:6, not web:7/ },
    ],
    [
      'fallback: circuit breaker failed ours, rollback deployment in progress',
      snap({
        service: svc([
          dep(6, { status: 'PRIMARY', id: 'ecs-svc/rb', rolloutState: 'IN_PROGRESS' }),
          dep(7, {
            status: 'ACTIVE',
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
        ]),
      }),
      {
        done: true,
        success: false,
        state: 'FAILED',
        reason: /rolled the service back to web:6: ECS deployment circuit breaker: tasks failed to start/,
      },
    ],
    [
      'fallback: ours FAILED and the rollback deployment COMPLETED is ROLLED_BACK',
      snap({
        service: svc([
          dep(6, { status: 'PRIMARY', id: 'ecs-svc/rb', runningCount: 2, rolloutState: 'COMPLETED' }),
          dep(7, { status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }),
        ]),
      }),
      {
        done: true,
        success: false,
        state: 'ROLLED_BACK',
        reason: /rolled the service back to web:6: circuit breaker/,
      },
    ],
    [
      'ours rolloutState FAILED without rollback',
      snap({
        service: svc([dep(7, { rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]),
      }),
      { done: true, success: false, state: 'FAILED', reason: /web:7 failed: tasks failed to start/ },
    ],
    [
      'someone else deployed web:8 meanwhile',
      snap({ service: svc([dep(8, { status: 'PRIMARY' }), dep(7, { status: 'ACTIVE' })]) }),
      { done: true, success: false, state: 'FAILED', reason: /runs web:8, not web:7: someone else deployed/ },
    ],
    [
      'service deleted',
      snap({ service: undefined }),
      { done: true, success: false, state: 'FAILED', reason: /web in cluster prod no longer exists/ },
    ],
    [
      'service draining',
      snap({ service: svc([dep(7)], { status: 'DRAINING' }) }),
      { done: true, success: false, state: 'FAILED', reason: /is DRAINING/ },
    ],
    [
      'service inactive',
      snap({ service: svc([], { status: 'INACTIVE' }) }),
      { done: true, success: false, state: 'FAILED', reason: /is INACTIVE/ },
    ],
    [
      'a stopped task of ours could not pull its image',
      snap({
        stoppedTasks: [
          stoppedTask('0f1e2d3c', {
            stoppedReason: PULL_REASON,
            containers: [{ name: 'app', reason: PULL_REASON }],
          }),
        ],
      }),
      {
        done: true,
        success: false,
        state: 'FAILED',
        reason:
          /^Task 0f1e2d3c stopped: container 'app' could not pull its image: CannotPullContainerError: .*not found$/,
      },
    ],
    [
      'a stopped task that merely crashed is not (yet) a verdict',
      snap({ stoppedTasks: [stoppedTask('aaaa')] }),
      { done: false },
    ],
  ])('%s', (_name, snapshot, expected) => {
    const verdict = judge(snapshot, target);
    expect(verdict.done).toBe(expected.done);
    if (verdict.done) {
      expect({ success: verdict.success, state: verdict.state }).toEqual({
        success: expected.success,
        state: expected.state,
      });
      if (expected.reason) expect(verdict.reason).toMatch(expected.reason);
    }
  });

  it('a deployment with our family:revision but a differently spelled ARN is still ours', () => {
    const short = { ...target, taskDefinitionArn: 'web:7', deploymentId: undefined };
    const verdict = judge(
      snap({ service: svc([dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })]) }),
      short,
    );
    expect(verdict).toMatchObject({ done: true, success: true });
  });
});

describe('pullFailure', () => {
  it.each([
    [
      'stoppedReason on the task',
      stoppedTask('t1', { stoppedReason: PULL_REASON, containers: [{ name: 'app' }] }),
      /container 'app'/,
    ],
    [
      'reason only on the sidecar container',
      stoppedTask('t2', {
        stoppedReason: 'Essential container in task exited',
        containers: [
          { name: 'app', exitCode: 0 },
          { name: 'envoy', reason: PULL_REASON },
        ],
      }),
      /Task t2 stopped: container 'envoy' could not pull/,
    ],
    [
      'the same reason copied to every container: the image it names picks the container',
      stoppedTask('t4', {
        stoppedReason: PULL_REASON,
        containers: [
          { name: 'app', image: '123.dkr.ecr.us-east-1.amazonaws.com/app@sha256:aaa', reason: PULL_REASON },
          { name: 'agent', image: PULL_IMAGE, reason: PULL_REASON },
        ],
      }),
      /Task t4 stopped: container 'agent' could not pull/,
    ],
    ['an ordinary crash', stoppedTask('t3'), undefined],
  ])('%s', (_name, task, expected) => {
    const found = pullFailure([task]);
    if (expected) expect(found).toMatch(expected);
    else expect(found).toBeUndefined();
  });
});

describe('describePending', () => {
  it('names the deployment state, counts and what is still around', () => {
    const text = describePending(
      snap({
        service: svc([dep(7, { runningCount: 1, pendingCount: 1 }), dep(6, { runningCount: 1 })]),
        serviceDeployment: sd('IN_PROGRESS', { lifecycleStage: 'SCALE_UP' }),
        stoppedTasks: [stoppedTask('x', { stoppedReason: 'Task failed ELB health checks' })],
      }),
      target,
    );
    expect(text).toBe(
      'service deployment IN_PROGRESS (stage SCALE_UP); web:7 IN_PROGRESS running 1/2, pending 1, failed 0; ' +
        '1 other deployment(s) still active (web:6); last stopped task: Task failed ELB health checks',
    );
  });

  it('says when our deployment never appeared', () => {
    expect(describePending(snap({ service: svc([dep(6, { status: 'PRIMARY' })]) }), target)).toMatch(
      /no deployment of web:7 seen yet/,
    );
  });
});
