import {
  addEvent,
  breakerThreshold,
  serviceTasks,
  type Deployment,
  type EcsState,
  type Service,
  type ServiceDeployment,
  type Task,
} from './model.js';
import { placementFailure } from './behaviour.js';
import { finishStopRequest, lastGoodDeployment, rollBack } from './deployments.js';
import { stagedRollout } from './strategies.js';
import { findTaskDefinition } from './taskdefs.js';
import {
  advanceTask,
  isAlive,
  isHealthy,
  launchTask,
  stopTask,
  UNHEALTHY_REASON,
  type Clock,
  type Durations,
  type SchedulerPorts,
} from './tasks.js';

export const BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

function taskList(tasks: Task[]): string {
  return tasks.map((t) => `(task ${t.id})`).join(' ');
}

function serviceDeploymentOf(state: EcsState, d: Deployment): ServiceDeployment | undefined {
  return state.serviceDeployments.get(d.serviceDeploymentArn);
}

/** A failed task counts against its deployment, and against the breaker of the service deployment driving it. */
function recordFailure(state: EcsState, service: Service, task: Task, clock: Clock, d: Durations): void {
  const deployment = service.deployments.find((x) => x.id === task.startedBy);
  if (!deployment) return;
  deployment.failedTasks++;
  deployment.updatedAt = clock.now;
  deployment.nextLaunchAt = clock.now + clock.ms(d.relaunchBackoff * Math.min(deployment.failedTasks, 5));
  const sd = serviceDeploymentOf(state, deployment);
  if (sd && sd.deploymentId === deployment.id) {
    sd.circuitBreaker.failureCount++;
    sd.updatedAt = clock.now;
  }
}

function tripBreaker(state: EcsState, service: Service, primary: Deployment, now: number): void {
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = BREAKER_REASON;
  primary.updatedAt = now;
  addEvent(
    service,
    now,
    `(service ${service.name}) (deployment ${primary.id}) deployment failed: tasks failed to start.`,
  );
  const sd = serviceDeploymentOf(state, primary);
  if (sd) {
    sd.circuitBreaker.status = 'TRIGGERED';
    sd.updatedAt = now;
  }
  const previous = lastGoodDeployment(service, primary);
  const rollback = service.deploymentConfiguration.deploymentCircuitBreaker.rollback;
  if (rollback && previous && sd && sd.status !== 'ROLLBACK_IN_PROGRESS') {
    // ECS rolls back to the last COMPLETED deployment, which becomes PRIMARY and rolls out again.
    rollBack(service, primary, previous, sd, BREAKER_REASON, now);
  } else if (sd) {
    sd.status = rollback && sd.status === 'ROLLBACK_IN_PROGRESS' ? 'ROLLBACK_FAILED' : 'STOPPED';
    sd.statusReason = BREAKER_REASON;
    sd.stoppedAt = now;
    sd.finishedAt = now;
  }
}

function stopTasks(service: Service, victims: Task[], now: number, reason: string): void {
  if (victims.length === 0) return;
  const running = victims.filter((t) => t.lastStatus === 'RUNNING');
  for (const t of victims) stopTask(t, now, reason);
  if (running.length > 0) {
    addEvent(
      service,
      now,
      `(service ${service.name}) has stopped ${running.length} running tasks: ${taskList(running)}.`,
    );
  }
}

/** Rolling update: start new tasks up to maximumPercent, stop old ones only while healthy stays >= minimumHealthyPercent. */
function roll(
  state: EcsState,
  service: Service,
  primary: Deployment,
  clock: Clock,
  d: Durations,
  holdOld = false,
): void {
  const { now } = clock;
  const desired = service.status === 'ACTIVE' ? service.desiredCount : 0;
  const cfg = service.deploymentConfiguration;
  const maxTotal = Math.floor((desired * cfg.maximumPercent) / 100);
  const minHealthy = Math.ceil((desired * cfg.minimumHealthyPercent) / 100);
  const alive = serviceTasks(state, service).filter(isAlive);
  const fresh = alive.filter((t) => t.startedBy === primary.id);
  const old = alive.filter((t) => t.startedBy !== primary.id);
  const freshHealthy = fresh.filter((t) => isHealthy(t, now)).length;
  const launching = primary.rolloutState !== 'FAILED';
  const reason = `Scaling activity initiated by (deployment ${primary.id})`;

  // Surplus tasks of the primary itself (scale-in): not-yet-running ones go first.
  const surplus = fresh.length - desired;
  if (surplus > 0) {
    const order = [...fresh].sort((a, b) => Number(isHealthy(a, now)) - Number(isHealthy(b, now)));
    stopTasks(service, order.slice(0, surplus), now, reason);
  }

  // A staged deployment (strategies.ts) starts the new revision next to the old one, which stays until CLEAN_UP.
  const cap = holdOld ? old.length + desired : maxTotal;
  const keepOld = Math.max(0, desired - freshHealthy);
  const blocked = launching ? Math.max(0, desired - fresh.length - (cap - alive.length)) : 0;
  const want = holdOld ? 0 : Math.max(old.length - keepOld, blocked);
  let healthy = alive.filter((t) => isHealthy(t, now)).length;
  const victims: Task[] = [];
  const candidates = [...old].sort((a, b) => Number(isHealthy(a, now)) - Number(isHealthy(b, now)));
  for (const t of candidates) {
    if (victims.length >= want) break;
    if (isHealthy(t, now)) {
      if (healthy - 1 < minHealthy) break;
      healthy--;
    }
    victims.push(t);
  }
  stopTasks(service, victims, now, reason);

  if (!launching || now < primary.nextLaunchAt) return;
  const aliveNow = alive.length - victims.length - Math.max(0, surplus);
  const count = Math.min(desired - Math.min(fresh.length, desired), cap - aliveNow);
  const td = findTaskDefinition(state, primary.taskDefinitionArn);
  if (count <= 0 || !td) return;
  const unplaceable = placementFailure(td.input);
  if (unplaceable) {
    // No task starts, so nothing counts against the breaker: ECS just retries and says so now and then.
    const due =
      service.placementEventAt === undefined ||
      now - service.placementEventAt >= clock.ms(d.placementEventEvery);
    if (due) {
      service.placementEventAt = now;
      addEvent(service, now, `(service ${service.name}) ${unplaceable}`);
    }
    return;
  }
  const started: Task[] = [];
  for (let i = 0; i < count; i++) started.push(launchTask(state, service, primary, td, now));
  addEvent(service, now, `(service ${service.name}) has started ${count} tasks: ${taskList(started)}.`);
}

function complete(state: EcsState, service: Service, primary: Deployment, now: number): void {
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = now;
  service.deployments = [primary];
  addEvent(service, now, `(service ${service.name}) (deployment ${primary.id}) deployment completed.`);
  addEvent(service, now, `(service ${service.name}) has reached a steady state.`);
  // After a rollback the service deployment doing the work is the current one, not the primary's own.
  const sd = service.currentServiceDeploymentArn
    ? state.serviceDeployments.get(service.currentServiceDeploymentArn)
    : undefined;
  if (sd && sd.deploymentId === primary.id) {
    sd.status = sd.status === 'ROLLBACK_IN_PROGRESS' ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
    if (sd.circuitBreaker.status === 'MONITORING') sd.circuitBreaker.status = 'MONITORING_COMPLETE';
    sd.finishedAt = now;
    sd.updatedAt = now;
  }
}

function tickService(
  state: EcsState,
  service: Service,
  clock: Clock,
  d: Durations,
  ports: SchedulerPorts,
): void {
  const { now } = clock;
  const tasks = serviceTasks(state, service);
  for (const t of tasks) {
    if (advanceTask(t, clock, d, ports) !== 'failed') continue;
    recordFailure(state, service, t, clock, d);
    if (t.stoppedReason === UNHEALTHY_REASON) {
      addEvent(service, now, `(service ${service.name}) (task ${t.id}) failed container health checks.`);
    }
  }
  if (service.status === 'INACTIVE') return;
  const primary = service.deployments[0];
  if (!primary) return;
  const sd = serviceDeploymentOf(state, primary);
  if (sd?.status === 'PENDING') {
    sd.status = 'IN_PROGRESS';
    sd.startedAt = now;
    sd.updatedAt = now;
  }
  if (sd) finishStopRequest(sd, now);
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  const threshold = breakerThreshold(service.desiredCount);
  if (sd) sd.circuitBreaker.threshold = threshold;
  if (primary.rolloutState === 'IN_PROGRESS' && breaker.enable && primary.failedTasks >= threshold) {
    tripBreaker(state, service, primary, now);
  } else if (!breaker.enable && primary.failedTasks >= threshold) {
    const due =
      service.unstableEventAt === undefined ||
      now - service.unstableEventAt >= clock.ms(d.unstableEventEvery);
    if (due) {
      service.unstableEventAt = now;
      addEvent(service, now, `(service ${service.name}) is unable to consistently start tasks successfully.`);
    }
  }
  // A staged deployment may roll back on this tick (an alarm), which changes the primary: ask first.
  const staged = stagedRollout(state, service, service.deployments[0] as Deployment, clock);
  const current = service.deployments[0] as Deployment;
  roll(state, service, current, clock, d, staged === 'hold');

  const after = serviceTasks(state, service);
  if (service.status === 'DRAINING') {
    if (after.every((t) => t.lastStatus === 'STOPPED')) {
      service.status = 'INACTIVE';
      service.deployments = [];
    }
    return;
  }
  const fresh = after.filter((t) => isAlive(t) && t.startedBy === current.id);
  const othersGone = after.every((t) => t.startedBy === current.id || t.lastStatus === 'STOPPED');
  if (
    current.rolloutState === 'IN_PROGRESS' &&
    othersGone &&
    fresh.length === service.desiredCount &&
    fresh.every((t) => isHealthy(t, now))
  ) {
    complete(state, service, current, now);
  }
}

/** One scheduler pass over every service of a region. */
export function tick(state: EcsState, clock: Clock, d: Durations, ports: SchedulerPorts): void {
  for (const cluster of state.clusters.values()) {
    for (const service of cluster.services.values()) tickService(state, service, clock, d, ports);
  }
}
