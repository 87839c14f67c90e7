import type { Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { taskId } from './evidence.js';

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
  /**
   * Set on the watch of a rollback: the revision that failed. The revision watched is then the one the
   * service returns to, never called new, and the watch's end says the service is back.
   */
  rollbackOf?: string;
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

export const NOT_DONE: Verdict = { done: false };

export function succeeded(reason: string): DoneVerdict {
  return { done: true, success: true, state: 'SUCCESSFUL', reason };
}

export function failed(reason: string, state: RolloutState = 'FAILED', rollback?: RollbackHint): DoneVerdict {
  return { done: true, success: false, state, reason, ...(rollback ? { rollback } : {}) };
}

export function withReason(text: string, reason: string | undefined): string {
  return reason ? `${text}: ${reason}` : text;
}

/** What the last failed task of ours said, so a breaker verdict names the cause, not only the count. */
export function lastFailure(tasks: Task[]): string {
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
