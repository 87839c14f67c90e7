import { describe, expect, it } from '@jest/globals';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { serviceTasks } from '../../sandbox/ecs/model.js';
import { updateService } from '../../sandbox/ecs/services.js';
import { alarmsInAlarm } from '../../sandbox/ecs/strategies.js';
import { productionSteps } from '../../sandbox/ecs/strategy-config.js';
import { isAlive } from '../../sandbox/ecs/tasks.js';
import { serviceDeploymentView } from '../../sandbox/ecs/views.js';
import { seeded, type World } from './world.js';

function deploy(w: World, deploymentConfiguration: Record<string, unknown>): string {
  const arn = w.register('nginx:2');
  updateService(
    w.state,
    w.state.clusters.get('default')!,
    { service: 'web', taskDefinition: arn, deploymentConfiguration },
    w.now,
  );
  return arn;
}

function current(w: World): ServiceDeployment {
  const sd = w.state.serviceDeployments.get(w.service.currentServiceDeploymentArn ?? '')!;
  return serviceDeploymentView(w.state, sd) as ServiceDeployment;
}

/** Every distinct (stage, production weight, test weight, old tasks alive) the rollout went through. */
function trace(w: World, until: (sd: ServiceDeployment) => boolean, each: () => void = () => undefined) {
  const seen: string[] = [];
  w.run(
    () => until(current(w)),
    () => {
      each();
      const sd = current(w);
      const target = sd.targetServiceRevision;
      const old = serviceTasks(w.state, w.service).filter(
        (t) => isAlive(t) && t.containers[0]?.image === 'nginx:1',
      ).length;
      const line = `${sd.lifecycleStage ?? '-'} prod ${target?.requestedProductionTrafficWeight ?? '-'} test ${target?.requestedTestTrafficWeight ?? '-'} old ${old}`;
      if (seen.at(-1) !== line) seen.push(line);
    },
    600,
  );
  return seen;
}

const done = (sd: ServiceDeployment) => !['PENDING', 'IN_PROGRESS'].includes(sd.status ?? '');

describe('ECS-native deployment strategies in the sandbox', () => {
  it('BLUE_GREEN: scales green up next to blue, shifts test then production traffic, bakes, then removes blue', () => {
    const w = seeded(2);
    deploy(w, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    const seen = trace(w, done);
    expect(current(w).status).toBe('SUCCESSFUL');
    // Blue keeps both tasks until CLEAN_UP; the weights move only in their stages.
    expect(seen.filter((l) => !/old [01]$/.test(l) || l.startsWith('CLEAN_UP'))).toEqual([
      'PRE_SCALE_UP prod 0 test 0 old 2',
      'SCALE_UP prod 0 test 0 old 2',
      'POST_SCALE_UP prod 0 test 0 old 2',
      'TEST_TRAFFIC_SHIFT prod 0 test 100 old 2',
      'POST_TEST_TRAFFIC_SHIFT prod 0 test 100 old 2',
      'PRODUCTION_TRAFFIC_SHIFT prod 100 test 100 old 2',
      'POST_PRODUCTION_TRAFFIC_SHIFT prod 100 test 100 old 2',
      'BAKE_TIME prod 100 test 100 old 2',
      'CLEAN_UP prod 100 test 100 old 2',
      'CLEAN_UP prod 100 test 100 old 0',
    ]);
    expect(w.service.deployments.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    expect(w.alive().map((t) => t.containers[0]?.image)).toEqual(['nginx:2', 'nginx:2']);
  });

  it('BLUE_GREEN keeps blue for the whole bake time', () => {
    const w = seeded(1);
    deploy(w, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 });
    let bakeStart = 0;
    let bakeEnd = 0;
    trace(w, done, () => {
      const stage = current(w).lifecycleStage;
      if (stage === 'BAKE_TIME' && bakeStart === 0) bakeStart = w.now;
      if (stage === 'CLEAN_UP' && bakeEnd === 0) bakeEnd = w.now;
    });
    expect((bakeEnd - bakeStart) / 1000).toBeCloseTo(120, 0);
  });

  it('LINEAR moves production traffic in equal steps with a bake between them', () => {
    const w = seeded(1);
    deploy(w, { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } });
    const seen = trace(w, done).filter((l) => l.startsWith('PRODUCTION'));
    expect(seen.map((l) => l.split(' ')[2])).toEqual(['25', '50', '75', '100']);
    expect(current(w).status).toBe('SUCCESSFUL');
  });

  it('CANARY moves the canary share first, then the rest after the canary bake', () => {
    const w = seeded(1);
    deploy(w, {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
    });
    const seen = trace(w, done).filter((l) => l.startsWith('PRODUCTION'));
    expect(seen.map((l) => l.split(' ')[2])).toEqual(['10', '100']);
    expect(current(w).status).toBe('SUCCESSFUL');
  });

  it.each([
    [
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 40, stepBakeTimeInMinutes: 0 } },
      [40, 80, 100],
    ],
    [{ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 100, canaryBakeTimeInMinutes: 5 } }, [100]],
    [{ strategy: 'CANARY' }, [5, 100]],
    [{ strategy: 'LINEAR' }, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]],
    [{ strategy: 'BLUE_GREEN' }, [100]],
  ])('%j shifts production traffic in steps %j', (cfg, weights) => {
    const w = seeded(1);
    deploy(w, cfg);
    expect(productionSteps(w.service.deploymentConfiguration).map((s) => s.weight)).toEqual(weights);
  });

  it.each([
    [{ strategy: 'SHADOW' }, 'strategy must be one of ROLLING, BLUE_GREEN, LINEAR, CANARY.'],
    [{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, 'bakeTimeInMinutes must be between 0 and 1440.'],
    [
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } },
      'stepPercent must be between 3 and 100.',
    ],
    [
      { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0 } },
      'canaryPercent must be between 0.1 and 100.',
    ],
  ])('refuses %j as ECS does', (cfg, message) => {
    const w = seeded(1);
    expect(() => deploy(w, cfg)).toThrow(message);
  });

  it('an alarm in ALARM during the bake rolls back to blue at once, blue never stopped', () => {
    const w = seeded(2);
    deploy(w, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
    });
    w.run(() => current(w).lifecycleStage === 'BAKE_TIME', undefined, 120);
    alarmsInAlarm(w.state).add('web-5xx');
    const seen = trace(w, (sd) => sd.status === 'ROLLBACK_SUCCESSFUL');
    alarmsInAlarm(w.state).clear();
    const sd = current(w);
    expect(sd.alarms).toEqual({
      status: 'TRIGGERED',
      alarmNames: ['web-5xx'],
      triggeredAlarmNames: ['web-5xx'],
    });
    expect(sd.statusReason).toBe(
      'Service deployment rolled back because the CloudWatch alarm(s) web-5xx went into ALARM.',
    );
    // Traffic went straight back; the two blue tasks kept running throughout.
    expect(seen[0]).toBe('BAKE_TIME prod 0 test 0 old 2');
    expect(seen.every((l) => l.endsWith('old 2'))).toBe(true);
    expect(w.service.deployments.map((d) => [d.taskDefinitionArn.endsWith(':1'), d.rolloutState])).toEqual([
      [true, 'COMPLETED'],
    ]);
    expect(w.alive().map((t) => t.containers[0]?.image)).toEqual(['nginx:1', 'nginx:1']);
  });

  it('an alarm without rollback stops the deployment and leaves both revisions running', () => {
    const w = seeded(1);
    deploy(w, {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 3 },
      alarms: { alarmNames: ['latency'], enable: true, rollback: false },
    });
    w.run(() => current(w).lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT', undefined, 120);
    alarmsInAlarm(w.state).add('latency');
    w.step();
    alarmsInAlarm(w.state).clear();
    expect([current(w).status, w.service.deployments[0]?.rolloutState]).toEqual(['STOPPED', 'FAILED']);
  });

  it('an alarm nobody listed, or one in ALARM before traffic moves, does nothing', () => {
    const w = seeded(1);
    deploy(w, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
    });
    alarmsInAlarm(w.state).add('other-alarm');
    trace(w, done);
    alarmsInAlarm(w.state).clear();
    expect(current(w).status).toBe('SUCCESSFUL');
  });

  it('ROLLING stays the rolling update, with no stage or weights', () => {
    const w = seeded(2);
    deploy(w, {});
    const seen = trace(w, done);
    expect(current(w).status).toBe('SUCCESSFUL');
    expect(new Set(seen.map((l) => l.split(' old')[0]))).toEqual(new Set(['- prod - test -']));
    expect(current(w).alarms).toEqual({ status: 'DISABLED' });
  });
});
