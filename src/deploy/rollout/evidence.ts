import type { Service, Task } from '@aws-sdk/client-ecs';

/**
 * Evidence from stopped tasks and service events that a rollout will not succeed, even though ECS still
 * says IN_PROGRESS. Pure. The rule, per failure mode (also in the README):
 * - The image cannot be pulled: fail at the first such task. Nothing ECS retries will make it appear.
 * - An essential container exited (stopCode EssentialContainerExited): fail at the first such task. A
 *   container that exits at start-up does so on every attempt (bad command, missing config, crash);
 *   ECS would relaunch it until the circuit breaker trips, or forever without one.
 * - A health check failed (container or load balancer): the check has already had its start period and
 *   retries, so when the circuit breaker is off, fail at the first such task (ECS would retry forever).
 *   When the breaker is on, ECS is judging with the patience the user configured: the watcher reports
 *   each unhealthy task and waits for ECS's verdict (and its rollback).
 * - Tasks cannot be placed ("unable to place a task"): fail at the first such event. No task starts, so
 *   the breaker never counts it and ECS retries forever; only new capacity fixes it.
 * Tasks stopped by the scheduler (scale-in, replacement, Spot) are never evidence.
 */

const PULL_ERROR = 'CannotPullContainerError';

/** The last path segment of a task ARN, which is what the console and the CLI call the task id. */
export function taskId(taskArn: string | undefined): string {
  if (!taskArn) return '?';
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/** A stopped task that will never start: the image is missing or unreachable, and waiting won't fix it. */
export function pullFailure(tasks: Task[]): string | undefined {
  for (const task of tasks) {
    const reason = task.stoppedReason?.includes(PULL_ERROR)
      ? task.stoppedReason
      : task.containers?.find((c) => c.reason?.includes(PULL_ERROR))?.reason;
    if (reason === undefined) continue;
    // The pull error names the image; that names the container (ECS may copy the reason to every container).
    const container =
      task.containers?.find((c) => c.image !== undefined && reason.includes(c.image)) ??
      task.containers?.find((c) => c.reason?.includes(PULL_ERROR)) ??
      (task.containers?.length === 1 ? task.containers[0] : undefined);
    const where = container?.name ? `container '${container.name}'` : 'a container';
    return `Task ${taskId(task.taskArn)} stopped: ${where} could not pull its image: ${reason}`;
  }
  return undefined;
}

// 137/143 are SIGKILL/SIGTERM: what the other containers of a stopping task get, not the cause.
const SIGNALLED = new Set([137, 143]);

/** "essential container 'web' exited with code 3", from a task ECS stopped for an essential exit. */
function crashFailure(tasks: Task[]): string | undefined {
  for (const task of tasks) {
    if (task.stopCode !== 'EssentialContainerExited') continue;
    const exited = (task.containers ?? []).filter((c) => c.exitCode !== undefined);
    const culprit =
      exited.find((c) => c.exitCode !== 0 && !SIGNALLED.has(c.exitCode ?? 0)) ??
      exited.find((c) => c.exitCode !== 0) ??
      exited[0];
    const what = culprit
      ? `essential container '${culprit.name ?? '?'}' exited with code ${culprit.exitCode}`
      : 'an essential container exited';
    const why = culprit?.reason ? ` (${culprit.reason})` : '';
    return `Task ${taskId(task.taskArn)} stopped: ${what}${why}: ${task.stoppedReason ?? 'Essential container in task exited'}`;
  }
  return undefined;
}

const HEALTH = /failed (?:container|ELB|load balancer) health checks?/i;

function healthFailure(tasks: Task[]): string | undefined {
  for (const task of tasks) {
    if (!HEALTH.test(task.stoppedReason ?? '')) continue;
    const sick = (task.containers ?? [])
      .filter((c) => c.healthStatus === 'UNHEALTHY')
      .map((c) => `'${c.name}'`);
    const which =
      sick.length > 0
        ? `container ${sick.join(', ')} never passed its health check`
        : 'it never became healthy';
    return `Task ${taskId(task.taskArn)} stopped: ${which}: ${task.stoppedReason}`;
  }
  return undefined;
}

/** The first "unable to place a task" event since `since`. */
function placementFailure(service: Service | undefined, since: Date): string | undefined {
  const events = [...(service?.events ?? [])]
    .filter((e) => (e.createdAt?.getTime() ?? 0) >= since.getTime())
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  const event = events.find((e) => /unable to place a task/.test(e.message ?? ''));
  return event ? `ECS cannot place the new tasks: ${event.message}` : undefined;
}

/** Whether ECS's deployment circuit breaker is judging this rollout. */
function breakerOn(service: Service | undefined, breakerStatus: string | undefined): boolean {
  if (breakerStatus !== undefined) return breakerStatus !== 'DISABLED';
  return service?.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
}

/** The first conclusive failure among stopped tasks of our revision and the service's new events. */
export function conclusiveFailure(
  service: Service | undefined,
  stoppedTasks: Task[],
  since: Date,
  breakerStatus: string | undefined,
): string | undefined {
  return (
    pullFailure(stoppedTasks) ??
    crashFailure(stoppedTasks) ??
    (breakerOn(service, breakerStatus) ? undefined : healthFailure(stoppedTasks)) ??
    placementFailure(service, since)
  );
}
