import type { Deployment, Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { conclusiveFailure, taskId } from './evidence.js';

export { pullFailure, taskId } from './evidence.js';

/** What the watcher follows: the deployment our UpdateService call started. */
export interface RolloutTarget {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  /** Taken just before UpdateService; events and deployments older than this are someone else's. */
  startedAt: Date;
  /** The `ecs-svc/...` id of our deployment in service.deployments, when UpdateService returned one. */
  deploymentId: string | undefined;
  /** Follow this service deployment instead of searching for one that targets our revision. */
  serviceDeploymentArn?: string;
  /**
   * Watching a rollback back to `taskDefinitionArn` on the failed rollout's service deployment: there,
   * ROLLBACK_SUCCESSFUL is the success and ROLLBACK_IN_PROGRESS still pending.
   */
  rollingBack?: boolean;
}

/** Everything ECS told us on one poll. */
export interface Snapshot {
  /** From DescribeServices; undefined = the service is gone. */
  service: Service | undefined;
  /** Ours, if the service-deployment API is available and we found it. */
  serviceDeployment: ServiceDeployment | undefined;
  /** Stopped tasks of our revision seen so far. */
  stoppedTasks: Task[];
}

export type RolloutState = 'SUCCESSFUL' | 'FAILED' | 'ROLLED_BACK' | 'TIMED_OUT' | 'NOT_WAITED';

/**
 * Who should return the service to its previous revision after a failure: `ours` = nobody did, ecs-ship may
 * (rollback.ts); `ecs` = ECS is rolling back already, wait for it. Absent = not a rollout failure (the
 * service is gone, someone else deployed, an API error): leave the service alone.
 */
export type RollbackHint = 'ours' | 'ecs';

export interface DoneVerdict {
  done: true;
  success: boolean;
  state: RolloutState;
  reason: string;
  rollback?: RollbackHint;
  /** The task definition the service is back on, when ECS rolled back. */
  rolledBackTo?: string;
}

export type Verdict = { done: false } | DoneVerdict;

const NOT_DONE: Verdict = { done: false };

function failed(reason: string, state: RolloutState = 'FAILED', rollback?: RollbackHint): DoneVerdict {
  return { done: true, success: false, state, reason, ...(rollback ? { rollback } : {}) };
}

/** `arn:...:task-definition/web:7` → `web:7`; anything else is shown as given. */
export function revisionName(taskDefinition: string | undefined): string {
  if (!taskDefinition) return 'an unknown revision';
  const slash = taskDefinition.lastIndexOf('/');
  return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}

/**
 * Family:revision comparison, because a service may report the task definition as a full ARN while
 * the target holds the ARN RegisterTaskDefinition returned (same thing) — or, from a user-provided
 * input, `family:rev`.
 */
export function sameTaskDefinition(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a === b || revisionName(a) === revisionName(b);
}

export function primaryDeployment(service: Service | undefined): Deployment | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}

/** Our deployment: by id when UpdateService told us, else the newest with our task definition. */
export function ourDeployment(service: Service | undefined, target: RolloutTarget): Deployment | undefined {
  const deployments = service?.deployments ?? [];
  if (target.deploymentId) {
    const byId = deployments.find((d) => d.id === target.deploymentId);
    if (byId) return byId;
  }
  return deployments
    .filter((d) => sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn))
    .sort((x, y) => (y.createdAt?.getTime() ?? 0) - (x.createdAt?.getTime() ?? 0))[0];
}

function circuitBreakerNote(sd: ServiceDeployment): string {
  const cb = sd.deploymentCircuitBreaker;
  const alarms = sd.alarms?.triggeredAlarmNames ?? [];
  const notes: string[] = [];
  if (cb?.status === 'TRIGGERED') {
    notes.push(
      `circuit breaker triggered after ${cb.failureCount ?? '?'} failed tasks (threshold ${cb.threshold ?? '?'})`,
    );
  }
  if (alarms.length > 0) notes.push(`alarms in ALARM: ${alarms.join(', ')}`);
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

function withReason(text: string, reason: string | undefined): string {
  return reason ? `${text}: ${reason}` : text;
}

/** What the last failed task of ours said, so a breaker verdict names the cause, not only the count. */
function lastFailure(tasks: Task[]): string {
  const task = tasks[tasks.length - 1];
  if (!task) return '';
  const exits = (task.containers ?? [])
    .filter((c) => c.exitCode !== undefined && c.exitCode !== 0)
    .map((c) => `container '${c.name ?? '?'}' exit ${c.exitCode}`);
  const sick = (task.containers ?? [])
    .filter((c) => c.healthStatus === 'UNHEALTHY')
    .map((c) => `container '${c.name ?? '?'}' UNHEALTHY`);
  const details = [...exits, ...sick];
  return `; last failed task ${taskId(task.taskArn)}: ${task.stoppedReason ?? 'no reason given'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** What the service runs now, for "rolled back to ..." when ours is no longer PRIMARY. */
function currentRevision(service: Service | undefined, target: RolloutTarget): string | undefined {
  const primary = primaryDeployment(service);
  if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
    return revisionName(primary.taskDefinition);
  }
  return undefined;
}

/** A rollback ECS runs on the failed rollout's own service deployment, seen from the revision it returns to. */
function judgeRollback(sd: ServiceDeployment, target: RolloutTarget): Verdict {
  const back = revisionName(target.taskDefinitionArn);
  switch (sd.status) {
    case 'ROLLBACK_SUCCESSFUL':
      return { done: true, success: true, state: 'SUCCESSFUL', reason: `the service is back on ${back}` };
    case 'ROLLBACK_FAILED':
    case 'STOPPED':
      return failed(withReason(`The rollback to ${back} ended ${sd.status}`, sd.statusReason));
    default:
      return NOT_DONE;
  }
}

function judgeServiceDeployment(sd: ServiceDeployment, snapshot: Snapshot, target: RolloutTarget): Verdict {
  if (target.rollingBack) return judgeRollback(sd, target);
  const status: string | undefined = sd.status;
  const note = circuitBreakerNote(sd);
  const backOn = currentRevision(snapshot.service, target);
  const ours = revisionName(target.taskDefinitionArn);
  switch (status) {
    case 'SUCCESSFUL': {
      if (backOn) {
        return failed(
          `The deployment of ${ours} finished, but the service now runs ${backOn}: someone else deployed`,
        );
      }
      return {
        done: true,
        success: true,
        state: 'SUCCESSFUL',
        reason: `ECS reports the deployment of ${ours} SUCCESSFUL`,
      };
    }
    case 'ROLLBACK_SUCCESSFUL': {
      const verdict = failed(
        withReason(
          `ECS rolled back the deployment of ${ours}; the service is back on ${backOn ?? 'the previous revision'}${note}`,
          sd.statusReason,
        ) + lastFailure(snapshot.stoppedTasks),
        'ROLLED_BACK',
      );
      const primary = primaryDeployment(snapshot.service)?.taskDefinition;
      return backOn && primary ? { ...verdict, rolledBackTo: primary } : verdict;
    }
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return failed(
        withReason(
          `ECS is rolling back the deployment of ${ours}${backOn ? ` to ${backOn}` : ''}${note}`,
          sd.statusReason,
        ) + lastFailure(snapshot.stoppedTasks),
        'FAILED',
        'ecs',
      );
    case 'ROLLBACK_FAILED':
      return failed(
        withReason(`The deployment of ${ours} failed and so did ECS's rollback${note}`, sd.statusReason),
      );
    case 'STOPPED':
    case 'STOP_REQUESTED':
      // Stopped by the breaker (ours to undo) or superseded by a newer deployment (someone else's now).
      return failed(
        withReason(`The deployment of ${ours} was stopped (${status})${note}`, sd.statusReason) +
          lastFailure(snapshot.stoppedTasks),
        'FAILED',
        backOn ? undefined : 'ours',
      );
    case 'FAILED':
      return failed(
        withReason(`The deployment of ${ours} failed${note}`, sd.statusReason) +
          lastFailure(snapshot.stoppedTasks),
        'FAILED',
        'ours',
      );
    default:
      return NOT_DONE;
  }
}

/**
 * ECS's verdict on our rollout, from one snapshot. Pure: no clock, no I/O. It never infers success
 * from counts alone while ECS still reports the rollout in progress, and it treats "the service no
 * longer runs our revision" as failure, which is what a circuit-breaker rollback looks like.
 */
export function judge(snapshot: Snapshot, target: RolloutTarget): Verdict {
  const { service, serviceDeployment } = snapshot;
  const where = `${target.service} in cluster ${target.cluster}`;
  if (!service) return failed(`Service ${where} no longer exists`);
  if (service.status === 'INACTIVE' || service.status === 'DRAINING') {
    return failed(`Service ${where} is ${service.status}: it was deleted during the rollout`);
  }

  if (serviceDeployment) {
    const verdict = judgeServiceDeployment(serviceDeployment, snapshot, target);
    if (verdict.done) return verdict;
  }

  const ours = ourDeployment(service, target);
  const name = revisionName(target.taskDefinitionArn);
  if (ours?.rolloutState === 'FAILED') {
    const backOn = currentRevision(service, target);
    const text = `The deployment of ${name} failed${backOn ? `; ECS rolled the service back to ${backOn}` : ''}`;
    const primary = primaryDeployment(service);
    const rolledBack = backOn !== undefined && primary?.rolloutState === 'COMPLETED';
    const reason = withReason(text, ours.rolloutStateReason) + lastFailure(snapshot.stoppedTasks);
    if (rolledBack) return { ...failed(reason, 'ROLLED_BACK'), rolledBackTo: primary.taskDefinition ?? '' };
    return failed(reason, 'FAILED', backOn ? 'ecs' : 'ours');
  }

  const primary = primaryDeployment(service);
  if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
    return failed(
      `The service's PRIMARY deployment runs ${revisionName(primary.taskDefinition)}, not ${name}: ` +
        'someone else deployed, or ECS rolled back',
    );
  }

  const evidence = conclusiveFailure(
    service,
    snapshot.stoppedTasks,
    target.startedAt,
    serviceDeployment?.deploymentCircuitBreaker?.status,
  );
  if (evidence) return failed(evidence, 'FAILED', 'ours');

  // Without the service-deployment API, the classic rule: ours is PRIMARY, COMPLETED, at full
  // count, and nothing else is still draining.
  if (!serviceDeployment && ours && ours === primary && service.deployments?.length === 1) {
    const rolloutDone = ours.rolloutState === 'COMPLETED';
    // A service behind a Classic Load Balancer never gets a rolloutState; counts are all ECS gives.
    const noRolloutState = ours.rolloutState === undefined;
    const full = ours.runningCount === ours.desiredCount && (ours.pendingCount ?? 0) === 0;
    if ((rolloutDone || noRolloutState) && full) {
      return {
        done: true,
        success: true,
        state: 'SUCCESSFUL',
        reason: `${name} is the only deployment, ${rolloutDone ? 'COMPLETED, ' : ''}running ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}`,
      };
    }
  }
  return NOT_DONE;
}

/** Why we are still waiting, for the timeout message: what a person would look at next. */
export function describePending(snapshot: Snapshot, target: RolloutTarget): string {
  const parts: string[] = [];
  const sd = snapshot.serviceDeployment;
  if (sd?.status) {
    parts.push(`service deployment ${sd.status}${sd.lifecycleStage ? ` (stage ${sd.lifecycleStage})` : ''}`);
  }
  const ours = ourDeployment(snapshot.service, target);
  if (ours) {
    const state = ours.rolloutState ?? ours.status;
    parts.push(
      `${revisionName(ours.taskDefinition)}${state ? ` ${state}` : ''} running ` +
        `${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}, pending ${ours.pendingCount ?? 0}, failed ${ours.failedTasks ?? 0}`,
    );
  } else if (snapshot.service) {
    parts.push(`no deployment of ${revisionName(target.taskDefinitionArn)} seen yet`);
  }
  const others = (snapshot.service?.deployments ?? []).filter((d) => d !== ours);
  if (others.length > 0) {
    parts.push(
      `${others.length} other deployment(s) still active (${others.map((d) => revisionName(d.taskDefinition)).join(', ')})`,
    );
  }
  const lastStopped = snapshot.stoppedTasks[snapshot.stoppedTasks.length - 1];
  if (lastStopped?.stoppedReason) parts.push(`last stopped task: ${lastStopped.stoppedReason}`);
  return parts.length > 0 ? parts.join('; ') : 'no state reported by ECS';
}
