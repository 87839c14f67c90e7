import { describe, expect, it } from '@jest/globals';
import { breakerThreshold, serviceTasks } from '../../sandbox/ecs/model.js';
import { BREAKER_REASON } from '../../sandbox/ecs/scheduler.js';
import { updateService } from '../../sandbox/ecs/services.js';
import { isHealthy } from '../../sandbox/ecs/tasks.js';
import { seeded } from './world.js';

describe('rolling update', () => {
  it.each([
    // desired, minimumHealthyPercent, maximumPercent
    [2, 100, 200],
    [4, 50, 100],
    [3, 0, 100],
    [4, 50, 150],
    [1, 100, 200],
  ])('desired %i, min %i%%, max %i%%: stays within both bounds and completes', (desired, min, max) => {
    const w = seeded(desired, { minimumHealthyPercent: min, maximumPercent: max });
    const td2 = w.register('nginx:2');
    updateService(w.state, w.state.clusters.get('default')!, { service: 'web', taskDefinition: td2 }, w.now);
    let peak = 0;
    let lowest = Infinity;
    w.run(
      () => w.steady(),
      () => {
        const alive = w.alive();
        peak = Math.max(peak, alive.length);
        lowest = Math.min(lowest, alive.filter((t) => isHealthy(t, w.now)).length);
      },
    );
    expect(peak).toBeLessThanOrEqual(Math.floor((desired * max) / 100));
    expect(lowest).toBeGreaterThanOrEqual(Math.ceil((desired * min) / 100));
    expect(w.alive().map((t) => t.taskDefinitionArn)).toEqual(Array(desired).fill(td2));
    expect(w.service.deployments[0]?.taskDefinitionArn).toBe(td2);
  });

  it('stops old tasks with the scheduler reason and reports the deployment in events', () => {
    const w = seeded(2);
    const oldIds = w.alive().map((t) => t.id);
    updateService(
      w.state,
      w.state.clusters.get('default')!,
      { service: 'web', taskDefinition: w.register('nginx:2') },
      w.now,
    );
    const id = w.service.deployments[0]!.id;
    w.run(() => w.steady());
    const old = serviceTasks(w.state, w.service).filter((t) => oldIds.includes(t.id));
    expect(old.map((t) => [t.lastStatus, t.stopCode, t.stoppedReason])).toEqual(
      Array(2).fill([
        'STOPPED',
        'ServiceSchedulerInitiated',
        `Scaling activity initiated by (deployment ${id})`,
      ]),
    );
    const messages = w.service.events.map((e) => e.message);
    expect(messages.slice(0, 2)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${id}) deployment completed.`,
    ]);
    expect(messages).toContain(
      `(service web) has stopped 2 running tasks: ${oldIds.map((i) => `(task ${i})`).join(' ')}.`,
    );
  });
});

describe('circuit breaker', () => {
  it.each([
    [1, 3],
    [2, 3],
    [6, 3],
    [7, 4],
    [100, 50],
    [1000, 200],
  ])('desired %i trips after %i failed tasks', (desired, threshold) => {
    expect(breakerThreshold(desired)).toBe(threshold);
  });

  it.each([
    [false, 'STOPPED', 'web:2'],
    [true, 'ROLLBACK_SUCCESSFUL', 'web:1'],
  ])('rollback %s: service deployment ends %s, primary is %s', (rollback, status, primary) => {
    const w = seeded(2, { deploymentCircuitBreaker: { enable: true, rollback } });
    w.missing.add('nginx:bad');
    updateService(
      w.state,
      w.state.clusters.get('default')!,
      { service: 'web', taskDefinition: w.register('nginx:bad') },
      w.now,
    );
    const sd = w.state.serviceDeployments.get(w.service.currentServiceDeploymentArn!)!;
    const failing = w.service.deployments[0]!;
    w.run(() => sd.status === status);
    expect(failing.rolloutState).toBe('FAILED');
    expect(failing.rolloutStateReason).toBe(BREAKER_REASON);
    expect(sd.circuitBreaker).toEqual({
      status: 'TRIGGERED',
      failureCount: failing.failedTasks,
      threshold: 3,
    });
    expect(failing.failedTasks).toBeGreaterThanOrEqual(3);
    w.run(() => w.alive().every((t) => t.lastStatus === 'RUNNING'));
    // The old tasks were never stopped: healthy count never dropped under desired.
    expect(w.alive().map((t) => t.containers[0]?.image)).toEqual(['nginx:1', 'nginx:1']);
    expect(w.service.deployments[0]?.taskDefinitionArn).toMatch(new RegExp(`/${primary}$`));
  });

  it('without the breaker keeps relaunching and says it cannot start tasks', () => {
    const w = seeded(1);
    w.missing.add('nginx:bad');
    updateService(
      w.state,
      w.state.clusters.get('default')!,
      { service: 'web', taskDefinition: w.register('nginx:bad') },
      w.now,
    );
    const deployment = w.service.deployments[0]!;
    w.run(() => deployment.failedTasks >= 6);
    expect(deployment.rolloutState).toBe('IN_PROGRESS');
    expect(w.service.events.map((e) => e.message)).toContain(
      '(service web) is unable to consistently start tasks successfully.',
    );
  });
});
