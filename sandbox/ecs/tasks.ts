import { behaviourOf, unhealthyAfter } from './behaviour.js';
import {
  arn,
  newTaskId,
  type ContainerState,
  type Deployment,
  type EcsState,
  type Service,
  type Task,
  type TaskDefinition,
} from './model.js';

/** How long each step takes, in sandbox seconds (divided by the time scale to get real time). */
export interface Durations {
  provisioning: number;
  /** PENDING is where the image is pulled. */
  pending: number;
  /** Time RUNNING before a task counts as healthy. */
  healthyAfter: number;
  deactivating: number;
  stopping: number;
  /** Relaunch back-off after a failed task, multiplied by the number of failures (capped at 5). */
  relaunchBackoff: number;
  /** Minimum gap between "unable to consistently start tasks" events. */
  unstableEventEvery: number;
  /** Minimum gap between "unable to place a task" events. */
  placementEventEvery: number;
}

export const DEFAULT_DURATIONS: Durations = {
  provisioning: 1,
  pending: 2,
  healthyAfter: 2,
  deactivating: 0.5,
  stopping: 1.5,
  relaunchBackoff: 1,
  unstableEventEvery: 60,
  placementEventEvery: 30,
};

const ESSENTIAL_EXIT_REASON = 'Essential container in task exited';
export const UNHEALTHY_REASON = 'Task failed container health checks';

export interface Clock {
  now: number;
  /** Real milliseconds for a number of sandbox seconds. */
  ms(sandboxSeconds: number): number;
}

export interface SchedulerPorts {
  /** Starts the registry check for a task that just reached PENDING; must end by setting `task.pull`. */
  checkImages(task: Task): void;
}

export function isAlive(t: Task): boolean {
  return t.desiredStatus === 'RUNNING';
}

export function isHealthy(t: Task, now: number): boolean {
  return isAlive(t) && t.lastStatus === 'RUNNING' && t.healthyAt !== undefined && t.healthyAt <= now;
}

export function isPending(t: Task): boolean {
  return isAlive(t) && (t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING');
}

export function launchTask(
  state: EcsState,
  service: Service,
  deployment: Deployment,
  td: TaskDefinition,
  now: number,
): Task {
  const id = newTaskId();
  const defs = (td.input.containerDefinitions as Record<string, unknown>[]) ?? [];
  const containers: ContainerState[] = defs.map((d) => ({
    name: String(d.name),
    image: String(d.image),
    lastStatus: 'PENDING',
    behaviour: behaviourOf(d),
  }));
  const task: Task = {
    id,
    arn: arn(state.region, `task/${service.clusterName}/${id}`),
    clusterArn: service.clusterArn,
    clusterName: service.clusterName,
    serviceName: service.name,
    taskDefinitionArn: td.arn,
    startedBy: deployment.id,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    launchType: service.launchType,
    containers,
    createdAt: now,
    statusSince: now,
  };
  if (td.input.cpu !== undefined) task.cpu = String(td.input.cpu);
  if (td.input.memory !== undefined) task.memory = String(td.input.memory);
  state.tasks.set(task.arn, task);
  return task;
}

/** The scheduler's stop: the task drains through DEACTIVATING and STOPPING on later ticks. */
export function stopTask(task: Task, now: number, reason: string): void {
  if (!isAlive(task)) return;
  task.desiredStatus = 'STOPPED';
  task.stoppingAt = now;
  task.stopCode = 'ServiceSchedulerInitiated';
  task.stoppedReason = reason;
  if (task.lastStatus === 'RUNNING') {
    task.lastStatus = 'DEACTIVATING';
    task.statusSince = now;
  }
}

function markStopped(task: Task, now: number): void {
  task.lastStatus = 'STOPPED';
  task.statusSince = now;
  task.executionStoppedAt = now;
  task.stoppedAt = now;
  for (const c of task.containers) {
    if (c.lastStatus === 'RUNNING') c.exitCode = 0;
    c.lastStatus = 'STOPPED';
  }
}

function failToStart(task: Task, now: number, reason: string): void {
  task.desiredStatus = 'STOPPED';
  task.stoppingAt = now;
  task.stopCode = 'TaskFailedToStart';
  task.stoppedReason = reason;
  task.pullStoppedAt = now;
  for (const c of task.containers) c.reason = reason;
  markStopped(task, now);
}

/** A task that stops on its own (not the scheduler's stop): straight to STOPPED, the failure is the signal. */
function stopOnItsOwn(task: Task, now: number, stopCode: string, reason: string): 'failed' {
  task.desiredStatus = 'STOPPED';
  task.stoppingAt = now;
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  markStopped(task, now);
  return 'failed';
}

/**
 * A running service task's containers: one whose command says `exit N` exits after its run time (an
 * essential one stops the task); a failing health check turns UNHEALTHY after startPeriod + interval x
 * retries and ECS stops the task. Passing health checks report HEALTHY once the task is healthy.
 */
function runContainers(task: Task, clock: Clock): 'failed' | undefined {
  const { now } = clock;
  const ranFor = now - (task.startedAt ?? now);
  for (const c of task.containers) {
    const b = c.behaviour;
    if (!b || c.lastStatus !== 'RUNNING') continue;
    if (b.exit && ranFor >= clock.ms(b.exit.afterSeconds)) {
      c.exitCode = b.exit.code;
      c.lastStatus = 'STOPPED';
      if (b.essential) return stopOnItsOwn(task, now, 'EssentialContainerExited', ESSENTIAL_EXIT_REASON);
      continue;
    }
    if (!b.health) continue;
    if (b.health.passes) {
      if (task.healthyAt !== undefined && task.healthyAt <= now) c.healthStatus = 'HEALTHY';
    } else if (ranFor >= clock.ms(unhealthyAfter(b.health))) {
      c.healthStatus = 'UNHEALTHY';
      if (b.essential) {
        task.healthStatus = 'UNHEALTHY';
        return stopOnItsOwn(task, now, 'ServiceSchedulerInitiated', UNHEALTHY_REASON);
      }
    }
  }
  const checked = task.containers.filter((c) => c.behaviour?.essential && c.behaviour.health);
  if (checked.length > 0 && checked.every((c) => c.healthStatus === 'HEALTHY')) task.healthStatus = 'HEALTHY';
  return undefined;
}

/**
 * Moves one task along its lifecycle. Returns 'failed' when it failed to start on this tick (the caller
 * counts it against its deployment), 'running' when it just started.
 */
export function advanceTask(
  task: Task,
  clock: Clock,
  d: Durations,
  ports: SchedulerPorts,
): 'failed' | 'running' | undefined {
  const { now } = clock;
  const elapsed = (seconds: number) => now - task.statusSince >= clock.ms(seconds);
  if (task.desiredStatus === 'RUNNING') {
    if (task.lastStatus === 'PROVISIONING' && elapsed(d.provisioning)) {
      task.lastStatus = 'PENDING';
      task.statusSince = now;
      task.pullStartedAt = now;
      task.pull = { state: 'checking' };
      ports.checkImages(task);
    } else if (task.lastStatus === 'PENDING' && elapsed(d.pending) && task.pull?.state !== 'checking') {
      if (task.pull?.state === 'failed') {
        failToStart(task, now, task.pull.reason);
        return 'failed';
      }
      task.lastStatus = 'RUNNING';
      task.statusSince = now;
      task.pullStoppedAt = now;
      task.startedAt = now;
      for (const c of task.containers) c.lastStatus = 'RUNNING';
      // A failing health check of an essential container keeps the task from ever counting as healthy.
      const sick = task.containers.some(
        (c) => c.behaviour?.essential && c.behaviour.health?.passes === false,
      );
      const warmUp = Math.max(0, ...task.containers.map((c) => c.behaviour?.health?.warmUp ?? 0));
      if (!sick) task.healthyAt = now + clock.ms(Math.max(d.healthyAfter, warmUp));
      return 'running';
    } else if (task.lastStatus === 'RUNNING') {
      return runContainers(task, clock);
    }
    return undefined;
  }
  switch (task.lastStatus) {
    case 'PROVISIONING':
    case 'PENDING':
      markStopped(task, now);
      break;
    case 'RUNNING':
      task.lastStatus = 'DEACTIVATING';
      task.statusSince = now;
      break;
    case 'DEACTIVATING':
      if (elapsed(d.deactivating)) {
        task.lastStatus = 'STOPPING';
        task.statusSince = now;
      }
      break;
    case 'STOPPING':
      if (elapsed(d.stopping)) markStopped(task, now);
      break;
    default:
      break;
  }
  return undefined;
}
