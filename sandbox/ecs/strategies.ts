import { lastGoodDeployment, rollBack } from './deployments.js';
import {
  addEvent,
  serviceTasks,
  type Deployment,
  type EcsState,
  type Service,
  type ServiceDeployment,
} from './model.js';
import { productionSteps, type StagedConfiguration } from './strategy-config.js';
import { isHealthy, type Clock } from './tasks.js';

/**
 * ECS-native BLUE_GREEN, LINEAR and CANARY deployments (2025), in sandbox seconds. The new revision (green)
 * is scaled up next to the old one (blue), gets the test traffic, then the production traffic (all at once,
 * in equal steps, or a canary share first), both keep running for the bake time, and only then is blue
 * removed. The service deployment shows `lifecycleStage` and, on its revision summaries,
 * `requestedProductionTrafficWeight` / `requestedTestTrafficWeight`. CloudWatch alarms named in
 * `deploymentConfiguration.alarms` are watched from the test traffic shift to the end of the bake: a test
 * puts one in ALARM with `alarmsInAlarm(state).add(name)`, and with `rollback: true` ECS sends all traffic
 * back to blue (still running) and removes green: ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL.
 * Not modelled: load balancers themselves (weights are what ECS requested), lifecycle hooks (their stages
 * pass without pausing), RECONCILE_SERVICE.
 */

// services.ts takes mergeStrategy from here; the configuration itself lives in strategy-config.ts.

/** Sandbox seconds each step takes. */
const STAGE_SECONDS = {
  /** A lifecycle hook stage with no hook. */
  hook: 1,
  /** Moving the test listener, or one production traffic step. */
  shift: 10,
};

type LifecycleStage =
  | 'PRE_SCALE_UP'
  | 'SCALE_UP'
  | 'POST_SCALE_UP'
  | 'TEST_TRAFFIC_SHIFT'
  | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT'
  | 'POST_PRODUCTION_TRAFFIC_SHIFT'
  | 'BAKE_TIME'
  | 'CLEAN_UP';

interface Phase {
  stage: LifecycleStage;
  since: number;
  /** Share of production / test traffic ECS requested for the new revision. */
  production: number;
  test: number;
  /** Index into `steps` of the production weight applied last; -1 before the first. */
  step: number;
  nextStepAt: number;
  triggered: string[];
}

const phases = new WeakMap<ServiceDeployment, Phase>();
const alarmStates = new WeakMap<EcsState, Set<string>>();

/** CloudWatch alarms currently in ALARM in this region; tests add and delete names. */
export function alarmsInAlarm(state: EcsState): Set<string> {
  let set = alarmStates.get(state);
  if (!set) alarmStates.set(state, (set = new Set()));
  return set;
}

function configOf(sd: ServiceDeployment): StagedConfiguration {
  return sd.deploymentConfiguration as StagedConfiguration;
}

const TRAFFIC_STAGES: LifecycleStage[] = [
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
];

/** Applies the next production weight; the one after waits for the shift and that step's bake. */
function nextStep(phase: Phase, steps: Array<{ weight: number; bakeSeconds: number }>, clock: Clock): void {
  phase.step++;
  const step = steps[phase.step] ?? { weight: 100, bakeSeconds: 0 };
  phase.production = step.weight;
  phase.nextStepAt = clock.now + clock.ms(STAGE_SECONDS.shift + step.bakeSeconds);
}

function enter(sd: ServiceDeployment, phase: Phase, stage: LifecycleStage, now: number): void {
  phase.stage = stage;
  phase.since = now;
  sd.updatedAt = now;
}

/** Alarms of this deployment now in ALARM, when ECS is watching them. */
function firedAlarms(state: EcsState, cfg: StagedConfiguration): string[] {
  if (!cfg.alarms?.enable) return [];
  const firing = alarmsInAlarm(state);
  return cfg.alarms.alarmNames.filter((n) => firing.has(n));
}

function failOnAlarm(
  service: Service,
  primary: Deployment,
  sd: ServiceDeployment,
  phase: Phase,
  fired: string[],
  now: number,
): void {
  phase.triggered = fired;
  const reason = `Service deployment rolled back because the CloudWatch alarm(s) ${fired.join(', ')} went into ALARM.`;
  addEvent(
    service,
    now,
    `(service ${service.name}) (deployment ${primary.id}) deployment failed: alarm ${fired.join(', ')} in ALARM.`,
  );
  const previous = lastGoodDeployment(service, primary);
  if (configOf(sd).alarms?.rollback && previous) {
    // Blue never stopped: all traffic goes back to it at once, and the scheduler removes green.
    phase.production = 0;
    phase.test = 0;
    rollBack(service, primary, previous, sd, reason, now);
    return;
  }
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = reason;
  primary.updatedAt = now;
  sd.status = 'STOPPED';
  sd.statusReason = reason.replace('rolled back', 'stopped');
  sd.stoppedAt = now;
  sd.finishedAt = now;
  sd.updatedAt = now;
}

/**
 * What the scheduler does for this service's primary deployment on this tick: `rolling` = the rolling
 * update (not a staged deployment, the service's first deployment, or a rollback); `hold` = start the new
 * revision's tasks but keep the old ones; `release` = the old ones may go now (CLEAN_UP).
 */
export function stagedRollout(
  state: EcsState,
  service: Service,
  primary: Deployment,
  clock: Clock,
): 'rolling' | 'hold' | 'release' {
  const sd = state.serviceDeployments.get(primary.serviceDeploymentArn);
  if (!sd || sd.deploymentId !== primary.id) return 'rolling';
  const cfg = configOf(sd);
  if (cfg.strategy === 'ROLLING' || sd.status !== 'IN_PROGRESS') return 'rolling';
  const { now } = clock;
  let phase = phases.get(sd);
  if (!phase) {
    // A new service has nothing to shift traffic from: ECS just starts it.
    if (service.deployments.length < 2) return 'rolling';
    phase = {
      stage: 'PRE_SCALE_UP',
      since: now,
      production: 0,
      test: 0,
      step: -1,
      nextStepAt: 0,
      triggered: [],
    };
    phases.set(sd, phase);
  }
  const fired = TRAFFIC_STAGES.includes(phase.stage) ? firedAlarms(state, cfg) : [];
  if (fired.length > 0) {
    failOnAlarm(service, primary, sd, phase, fired, now);
    return 'rolling';
  }
  const after = (seconds: number) => now - phase.since >= clock.ms(seconds);
  switch (phase.stage) {
    case 'PRE_SCALE_UP':
      if (after(STAGE_SECONDS.hook)) enter(sd, phase, 'SCALE_UP', now);
      break;
    case 'SCALE_UP': {
      const green = serviceTasks(state, service).filter(
        (t) => t.startedBy === primary.id && isHealthy(t, now),
      );
      if (green.length >= service.desiredCount) enter(sd, phase, 'POST_SCALE_UP', now);
      break;
    }
    case 'POST_SCALE_UP':
      if (after(STAGE_SECONDS.hook)) {
        enter(sd, phase, 'TEST_TRAFFIC_SHIFT', now);
        phase.test = 100;
      }
      break;
    case 'TEST_TRAFFIC_SHIFT':
      if (after(STAGE_SECONDS.shift)) enter(sd, phase, 'POST_TEST_TRAFFIC_SHIFT', now);
      break;
    case 'POST_TEST_TRAFFIC_SHIFT':
      if (after(STAGE_SECONDS.hook)) {
        enter(sd, phase, 'PRODUCTION_TRAFFIC_SHIFT', now);
        nextStep(phase, productionSteps(cfg), clock);
      }
      break;
    case 'PRODUCTION_TRAFFIC_SHIFT':
      if (now < phase.nextStepAt) break;
      if (phase.production >= 100) enter(sd, phase, 'POST_PRODUCTION_TRAFFIC_SHIFT', now);
      else nextStep(phase, productionSteps(cfg), clock);
      sd.updatedAt = now;
      break;
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      if (after(STAGE_SECONDS.hook)) enter(sd, phase, 'BAKE_TIME', now);
      break;
    case 'BAKE_TIME':
      if (after((cfg.bakeTimeInMinutes ?? 0) * 60)) enter(sd, phase, 'CLEAN_UP', now);
      break;
    case 'CLEAN_UP':
      return 'release';
  }
  // Entering CLEAN_UP this tick: blue goes from the next one.
  return 'hold';
}

/** The service deployment's `lifecycleStage` and `alarms`, as DescribeServiceDeployments shows them. */
export function stagedView(sd: ServiceDeployment): Record<string, unknown> {
  const phase = phases.get(sd);
  const cfg = configOf(sd);
  const alarms = cfg.alarms?.enable
    ? {
        status: phase?.triggered.length ? 'TRIGGERED' : sd.finishedAt ? 'MONITORING_COMPLETE' : 'MONITORING',
        alarmNames: cfg.alarms.alarmNames,
        ...(phase?.triggered.length ? { triggeredAlarmNames: phase.triggered } : {}),
      }
    : { status: 'DISABLED' };
  return { alarms, ...(phase ? { lifecycleStage: phase.stage } : {}) };
}

/** Requested traffic weights for one revision summary of a staged service deployment; {} for ROLLING. */
export function trafficWeights(sd: ServiceDeployment, target: boolean): Record<string, number> {
  const phase = phases.get(sd);
  if (!phase) return {};
  const production = target ? phase.production : 100 - phase.production;
  const test = target ? phase.test : 100 - phase.test;
  return { requestedProductionTrafficWeight: production, requestedTestTrafficWeight: test };
}
