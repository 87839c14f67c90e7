import { describe, expect, it } from '@jest/globals';
import { exitOf, healthOf, placementFailure, script } from '../../sandbox/ecs/behaviour.js';
import { stopServiceDeployment } from '../../sandbox/ecs/deployments.js';
import { serviceTasks } from '../../sandbox/ecs/model.js';
import { BREAKER_REASON } from '../../sandbox/ecs/scheduler.js';
import { updateService } from '../../sandbox/ecs/services.js';
import { seeded, type World } from './world.js';

function deploy(w: World, extra: Record<string, unknown>, td: Record<string, unknown> = {}): string {
  const arn = w.register('nginx:2', extra, td);
  updateService(w.state, w.state.clusters.get('default')!, { service: 'web', taskDefinition: arn }, w.now);
  return arn;
}

const tasksOf = (w: World, arn: string) =>
  serviceTasks(w.state, w.service).filter((t) => t.taskDefinitionArn === arn);

describe('what a container command or health check means to the sandbox', () => {
  it.each([
    [['sh', '-c', 'exit 3'], { code: 3, afterSeconds: 1 }],
    [['sh', '-c', 'sleep 4; exit 1'], { code: 1, afterSeconds: 4 }],
    [['node', 'server.js'], undefined],
    [['exit 300'], { code: 44, afterSeconds: 1 }],
  ])('command %j exits with %j', (command, expected) => {
    expect(exitOf(command)).toEqual(expected);
  });

  it.each([
    [['CMD-SHELL', 'exit 1'], false],
    [['CMD', 'false'], false],
    [['CMD', 'sh', '-c', 'exit 2'], false],
    [['CMD-SHELL', 'exit 0'], true],
    [['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], true],
  ])('health check %j passes: %s', (command, passes) => {
    expect(healthOf({ command })?.passes).toBe(passes);
  });

  it.each([
    [['CMD-SHELL', 'curl -f localhost'], 0],
    [['CMD-SHELL', 'sleep 600 && curl -f localhost'], 600],
  ])('health check %j starts passing after %i s', (command, warmUp) => {
    expect(healthOf({ command })?.warmUp).toBe(warmUp);
  });

  it('uses ECS defaults for a health check without timings', () => {
    expect(healthOf({ command: ['CMD', 'false'] })).toMatchObject({
      interval: 30,
      retries: 3,
      startPeriod: 0,
    });
    expect(script(['CMD-SHELL', ' exit 1 '])).toBe('exit 1');
  });

  it('cannot place a task definition with a memberOf constraint, and places anything else', () => {
    expect(
      placementFailure({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:gpu exists' }] }),
    ).toMatch(/^was unable to place a task because no container instance met all of its requirements/);
    expect(placementFailure({ placementConstraints: [] })).toBeUndefined();
  });
});

describe('failure modes of a rolling update', () => {
  it('a crashing essential container stops its task with the exit code, and ECS keeps relaunching', () => {
    const w = seeded(2);
    const arn = deploy(w, { command: ['sh', '-c', 'exit 3'] });
    w.run(() => tasksOf(w, arn).filter((t) => t.lastStatus === 'STOPPED').length >= 2);
    const [first] = tasksOf(w, arn).filter((t) => t.lastStatus === 'STOPPED');
    expect([first?.stopCode, first?.stoppedReason, first?.containers[0]?.exitCode]).toEqual([
      'EssentialContainerExited',
      'Essential container in task exited',
      3,
    ]);
    // It ran about one sandbox second (its default run time) before exiting.
    expect((first?.stoppedAt ?? 0) - (first?.startedAt ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(w.service.deployments[0]?.failedTasks).toBeGreaterThanOrEqual(2);
    expect(w.service.deployments[0]?.rolloutState).toBe('IN_PROGRESS');
    // The old revision keeps serving.
    expect(
      w.alive().filter((t) => t.lastStatus === 'RUNNING' && t.containers[0]?.image === 'nginx:1'),
    ).toHaveLength(2);
  });

  it('a non-essential container that exits leaves its task running', () => {
    const s = seeded(1);
    const arn = s.register('nginx:2', {}, {});
    const td = s.state.taskDefinitions.get('web')!.at(-1)!;
    (td.input.containerDefinitions as Record<string, unknown>[]).push({
      name: 'sidecar',
      image: 'busybox',
      essential: false,
      command: ['sh', '-c', 'exit 5'],
    });
    updateService(s.state, s.state.clusters.get('default')!, { service: 'web', taskDefinition: arn }, s.now);
    s.run(() => s.steady());
    const [task] = tasksOf(s, arn);
    expect([task?.lastStatus, task?.containers.map((c) => [c.name, c.lastStatus, c.exitCode])]).toEqual([
      'RUNNING',
      [
        ['web', 'RUNNING', undefined],
        ['sidecar', 'STOPPED', 5],
      ],
    ]);
  });

  it('a health check that never passes marks the task UNHEALTHY and ECS stops it after the retries', () => {
    const w = seeded(1);
    const arn = deploy(w, { healthCheck: { command: ['CMD-SHELL', 'exit 1'], interval: 5, retries: 2 } });
    w.run(() => tasksOf(w, arn).some((t) => t.lastStatus === 'STOPPED'));
    const [task] = tasksOf(w, arn);
    expect([
      task?.stopCode,
      task?.stoppedReason,
      task?.healthStatus,
      task?.containers[0]?.healthStatus,
    ]).toEqual([
      'ServiceSchedulerInitiated',
      'Task failed container health checks',
      'UNHEALTHY',
      'UNHEALTHY',
    ]);
    // interval 5 x retries 2 = 10 sandbox seconds of failing checks after it started.
    expect((task?.stoppedAt ?? 0) - (task?.startedAt ?? 0)).toBe(10_000);
    expect(w.service.events.map((e) => e.message)).toContain(
      `(service web) (task ${task?.id}) failed container health checks.`,
    );
  });

  it('a passing health check reports HEALTHY and the rollout completes', () => {
    const w = seeded(1);
    const arn = deploy(w, { healthCheck: { command: ['CMD-SHELL', 'curl -f localhost || exit 1'] } });
    w.run(() => w.steady());
    const [task] = tasksOf(w, arn);
    expect([task?.healthStatus, task?.containers[0]?.healthStatus]).toEqual(['HEALTHY', 'HEALTHY']);
  });

  it('a passing health check with `sleep N` is a slow start: HEALTHY, and the old tasks stopped, only after N s', () => {
    const w = seeded(1);
    const arn = deploy(w, { healthCheck: { command: ['CMD-SHELL', 'sleep 600 && curl -f localhost'] } });
    w.run(() => w.steady(), undefined, 700);
    const [task] = tasksOf(w, arn);
    expect(task?.healthStatus).toBe('HEALTHY');
    const old = serviceTasks(w.state, w.service).find((t) => t.taskDefinitionArn !== arn);
    // The old task is stopped only once the new one is healthy: 600 sandbox seconds after it started.
    expect((old?.stoppingAt ?? 0) - (task?.startedAt ?? 0)).toBeGreaterThanOrEqual(600_000);
    expect((old?.stoppingAt ?? 0) - (task?.startedAt ?? 0)).toBeLessThan(601_000);
  });

  it('a task that cannot be placed never starts; ECS says so now and then and the breaker never trips', () => {
    const w = seeded(2, { deploymentCircuitBreaker: { enable: true, rollback: true } });
    const arn = deploy(
      w,
      {},
      { placementConstraints: [{ type: 'memberOf', expression: 'attribute:gpu exists' }] },
    );
    w.step();
    expect(w.service.events[0]?.message).toMatch(/^\(service web\) was unable to place a task because/);
    for (let i = 0; i < 650; i++) w.step();
    const placementEvents = w.service.events.filter((e) => e.message.includes('unable to place a task'));
    expect(placementEvents).toHaveLength(3); // at 0, 30 and 60 sandbox seconds
    expect(tasksOf(w, arn)).toHaveLength(0);
    expect(w.service.deployments[0]?.rolloutState).toBe('IN_PROGRESS');
  });

  it.each([
    // desired count, failures to trip (BOUNDED_PERCENT 50, at least 3)
    [2, 3],
    [8, 4],
  ])(
    'a crash loop with the breaker and rollback: desired %i trips after %i failures and returns to the last good revision',
    (desired, threshold) => {
      const w = seeded(desired, { deploymentCircuitBreaker: { enable: true, rollback: true } });
      const good = w.service.deployments[0]!.taskDefinitionArn;
      deploy(w, { command: ['sh', '-c', 'exit 1'] });
      const sd = w.state.serviceDeployments.get(w.service.currentServiceDeploymentArn!)!;
      w.run(() => sd.status === 'ROLLBACK_SUCCESSFUL');
      expect(sd.circuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold });
      expect(sd.circuitBreaker.failureCount).toBeGreaterThanOrEqual(threshold);
      expect(sd.statusReason).toBe(BREAKER_REASON);
      expect(w.service.deployments.map((d) => [d.status, d.taskDefinitionArn])).toEqual([['PRIMARY', good]]);
    },
  );
});

describe('StopServiceDeployment', () => {
  it('ROLLBACK returns the service to the last good revision and ends ROLLBACK_SUCCESSFUL', () => {
    const w = seeded(2);
    const good = w.service.deployments[0]!.taskDefinitionArn;
    deploy(w, { command: ['sh', '-c', 'exit 1'] });
    const sdArn = w.service.currentServiceDeploymentArn!;
    w.run(() => (w.service.deployments[0]?.failedTasks ?? 0) >= 1);
    expect(
      stopServiceDeployment(w.state, { serviceDeploymentArn: sdArn, stopType: 'ROLLBACK' }, w.now),
    ).toEqual({
      serviceDeploymentArn: sdArn,
    });
    const sd = w.state.serviceDeployments.get(sdArn)!;
    expect(sd.status).toBe('ROLLBACK_IN_PROGRESS');
    w.run(() => sd.status === 'ROLLBACK_SUCCESSFUL');
    expect(w.service.deployments.map((d) => [d.status, d.taskDefinitionArn])).toEqual([['PRIMARY', good]]);
    expect(w.alive().every((t) => t.taskDefinitionArn === good)).toBe(true);
  });

  it('ABORT stops the new deployment where it is: STOP_REQUESTED, then STOPPED, and nothing rolls back', () => {
    const w = seeded(2);
    const good = w.service.deployments[0]!.taskDefinitionArn;
    const next = deploy(w, { command: ['sh', '-c', 'exit 1'] });
    const sdArn = w.service.currentServiceDeploymentArn!;
    w.run(() => (w.service.deployments[0]?.failedTasks ?? 0) >= 1);
    stopServiceDeployment(w.state, { serviceDeploymentArn: sdArn, stopType: 'ABORT' }, w.now);
    const sd = w.state.serviceDeployments.get(sdArn)!;
    expect(sd.status).toBe('STOP_REQUESTED');
    w.run(() => sd.status === 'STOPPED');
    expect(sd.rollback).toBeUndefined();
    expect(w.service.deployments.map((d) => [d.status, d.taskDefinitionArn, d.rolloutState])).toEqual([
      ['PRIMARY', next, 'FAILED'],
      ['ACTIVE', good, 'COMPLETED'],
    ]);
    // The stopped deployment launches nothing more, however long the service runs on.
    const launched = tasksOf(w, next).length;
    for (let i = 0; i < 600; i++) w.step();
    expect(tasksOf(w, next).length).toBe(launched);
    expect(w.alive().filter((t) => t.taskDefinitionArn === good)).toHaveLength(2);
  });

  it.each([
    ['an unknown ARN', 'arn:nope', 'ROLLBACK', 'ServiceDeploymentNotFoundException'],
    ['a finished deployment', 'current', 'ROLLBACK', 'ConflictException'],
    ['a finished deployment (ABORT)', 'current', 'ABORT', 'ConflictException'],
    ['a stopType outside the enum', 'current', 'PAUSE', 'InvalidParameterException'],
  ])('refuses %s', (_what, ref, stopType, code) => {
    const w = seeded(1);
    const arn = ref === 'current' ? w.service.currentServiceDeploymentArn! : ref;
    expect(() => stopServiceDeployment(w.state, { serviceDeploymentArn: arn, stopType }, w.now)).toThrow(
      expect.objectContaining({ code }),
    );
  });
});
