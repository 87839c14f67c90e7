import type { Deployment, Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';

/** What the watcher follows: the deployment our UpdateService call started. */
export interface RolloutTarget {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  /** Taken just before UpdateService; events and deployments older than this are someone else's. */
  startedAt: Date;
  /** The `ecs-svc/...` id of our deployment in service.deployments, when UpdateService returned one. */
  deploymentId: string | undefined;
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

export type Verdict = { done: false } | { done: true; success: boolean; state: RolloutState; reason: string };

const NOT_DONE: Verdict = { done: false };

function failed(reason: string, state: RolloutState = 'FAILED'): Verdict {
  return { done: true, success: false, state, reason };
}

/** `arn:...:task-definition/web:7` → `web:7`; anything else is shown as given. */
export function revisionName(taskDefinition: string | undefined): string {
  if (!taskDefinition) return 'an unknown revision';
  const slash = taskDefinition.lastIndexOf('/');
  return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}

/** The last path segment of a task ARN, which is what the console and the CLI call the task id. */
export function taskId(taskArn: string | undefined): string {
  if (!taskArn) return '?';
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
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

const PULL_ERROR = 'CannotPullContainerError';

/** A stopped task that will never start: the image is missing or unreachable, and waiting won't fix it. */
export function pullFailure(tasks: Task[]): string | undefined {
  for (const task of tasks) {
    const container =
      task.containers?.find((c) => c.reason?.includes(PULL_ERROR)) ??
      task.containers?.find((c) => c.exitCode === undefined);
    const reason = task.stoppedReason?.includes(PULL_ERROR)
      ? task.stoppedReason
      : container?.reason?.includes(PULL_ERROR)
        ? container.reason
        : undefined;
    if (reason === undefined) continue;
    const where = container?.name ? `container '${container.name}'` : 'a container';
    return `Task ${taskId(task.taskArn)} stopped: ${where} could not pull its image: ${reason}`;
  }
  return undefined;
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

/** What the service runs now, for "rolled back to ..." when ours is no longer PRIMARY. */
function currentRevision(service: Service | undefined, target: RolloutTarget): string | undefined {
  const primary = primaryDeployment(service);
  if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
    return revisionName(primary.taskDefinition);
  }
  return undefined;
}

function judgeServiceDeployment(sd: ServiceDeployment, snapshot: Snapshot, target: RolloutTarget): Verdict {
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
    case 'ROLLBACK_SUCCESSFUL':
      return failed(
        withReason(
          `ECS rolled back the deployment of ${ours}; the service is back on ${backOn ?? 'the previous revision'}${note}`,
          sd.statusReason,
        ),
        'ROLLED_BACK',
      );
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return failed(
        withReason(
          `ECS is rolling back the deployment of ${ours}${backOn ? ` to ${backOn}` : ''}${note}`,
          sd.statusReason,
        ),
      );
    case 'ROLLBACK_FAILED':
      return failed(
        withReason(`The deployment of ${ours} failed and so did ECS's rollback${note}`, sd.statusReason),
      );
    case 'STOPPED':
    case 'STOP_REQUESTED':
      return failed(withReason(`The deployment of ${ours} was stopped (${status})${note}`, sd.statusReason));
    case 'FAILED':
      return failed(withReason(`The deployment of ${ours} failed${note}`, sd.statusReason));
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
    return failed(withReason(text, ours.rolloutStateReason), rolledBack ? 'ROLLED_BACK' : 'FAILED');
  }

  const primary = primaryDeployment(service);
  if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
    return failed(
      `The service's PRIMARY deployment runs ${revisionName(primary.taskDefinition)}, not ${name}: ` +
        'someone else deployed, or ECS rolled back',
    );
  }

  const pull = pullFailure(snapshot.stoppedTasks);
  if (pull) return failed(pull);

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
