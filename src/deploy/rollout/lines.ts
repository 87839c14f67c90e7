import type { Deployment, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { parseRevision, revisionName } from '../../aws/arn.js';
import type { PollLine } from '../../poll/changed-lines.js';
import { trafficLine } from '../strategy.js';
import { taskId } from './evidence.js';
import { isNewDeployment, ourDeployment } from './identify.js';
import type { DoneVerdict, RolloutTarget, Snapshot } from './verdict.js';

/** `web:7` → `rev 7` for our family, `other:3` stays whole so a foreign deployment stands out. */
function shortRevision(taskDefinition: string | undefined, target: RolloutTarget): string {
  const rev = parseRevision(taskDefinition);
  const ours = parseRevision(target.taskDefinitionArn);
  return rev && rev.family === ours?.family ? `rev ${rev.revision}` : revisionName(taskDefinition);
}

export function deploymentLine(d: Deployment, target: RolloutTarget): string {
  const mine = isNewDeployment(d, target) ? ' (new)' : '';
  return [
    `${d.status ?? '?'} ${shortRevision(d.taskDefinition, target)}${mine}`,
    `running ${d.runningCount ?? 0}/${d.desiredCount ?? 0}`,
    `pending ${d.pendingCount ?? 0}`,
    `failed ${d.failedTasks ?? 0}`,
    d.rolloutState ?? '',
  ]
    .join('  ')
    .trimEnd();
}

export function serviceDeploymentLine(sd: ServiceDeployment): string {
  const parts = [`service deployment ${sd.status ?? '?'}`];
  if (sd.lifecycleStage) parts.push(`stage ${sd.lifecycleStage}`);
  // BLUE_GREEN, LINEAR, CANARY: where the traffic is (strategy.ts); nothing for ROLLING.
  const traffic = trafficLine(sd);
  if (traffic) parts.push(traffic);
  const cb = sd.deploymentCircuitBreaker;
  if (cb && cb.status !== 'DISABLED' && (cb.failureCount ?? 0) > 0) {
    parts.push(`circuit breaker ${cb.failureCount}/${cb.threshold ?? '?'} failed tasks`);
  }
  const alarms = sd.alarms?.triggeredAlarmNames ?? [];
  if (alarms.length > 0) parts.push(`alarms triggered: ${alarms.join(', ')}`);
  if (sd.statusReason) parts.push(sd.statusReason);
  return parts.join(', ');
}

export function stoppedTaskLine(task: Task): string {
  const details: string[] = [];
  for (const c of task.containers ?? []) {
    if (c.exitCode !== undefined) details.push(`container ${c.name ?? '?'} exit ${c.exitCode}`);
    else if (c.reason && c.reason !== task.stoppedReason)
      details.push(`container ${c.name ?? '?'}: ${c.reason}`);
    if (c.healthStatus === 'UNHEALTHY') details.push(`container ${c.name ?? '?'} UNHEALTHY`);
  }
  const head = `task ${taskId(task.taskArn)} stopped: ${task.stoppedReason ?? 'no reason given'}`;
  return [head, ...details].join('; ');
}

const STATUS_ORDER = ['PRIMARY', 'ACTIVE'];

/**
 * PRIMARY first, then ACTIVE, then any other status; newest first within a status. ECS lists deployments in
 * no promised order, and lines that swap places from poll to poll read as changes.
 */
export function inDisplayOrder(deployments: Deployment[]): Deployment[] {
  const rank = (d: Deployment) => {
    const i = STATUS_ORDER.indexOf(d.status ?? '');
    return i < 0 ? STATUS_ORDER.length : i;
  };
  const created = (d: Deployment) => d.createdAt?.getTime() ?? 0;
  return [...deployments].sort(
    (a, b) => rank(a) - rank(b) || created(b) - created(a) || (a.id ?? '').localeCompare(b.id ?? ''),
  );
}

/**
 * What one poll saw, as lines for the poller (which prints a keyed line only when its text changed): events
 * since the deploy began (oldest first, each once), our service deployment, one line per deployment in
 * display order, and the stopped tasks the reader saw first this poll. Pure.
 */
export function snapshotLines(snapshot: Snapshot, newlyStopped: Task[], target: RolloutTarget): PollLine[] {
  const since = target.startedAt.getTime();
  const events = (snapshot.service?.events ?? [])
    .filter((e) => e.id && (e.createdAt?.getTime() ?? 0) >= since)
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))
    .map((e) => ({ key: `event ${e.id}`, text: e.message ?? '' }));
  const sd = snapshot.serviceDeployment;
  const deployments = inDisplayOrder(snapshot.service?.deployments ?? []).map((d) => ({
    key: `deployment ${d.id ?? d.taskDefinition ?? '?'}`,
    text: deploymentLine(d, target),
  }));
  return [
    ...events,
    ...(sd ? [{ key: 'service deployment', text: serviceDeploymentLine(sd) }] : []),
    ...deployments,
    ...newlyStopped.map((task) => ({ text: stoppedTaskLine(task) })),
  ];
}

/** What the heartbeat says the watch waits for: `web:8: 1/3 running, 2 pending; web:7 still runs 2 tasks`. Pure. */
export function waitingFor(snapshot: Snapshot, target: RolloutTarget): string {
  const name = revisionName(target.taskDefinitionArn);
  const ours = ourDeployment(snapshot.service, target);
  const state: string[] = [];
  const sd = snapshot.serviceDeployment;
  if (sd?.status) {
    state.push(`service deployment ${sd.status}${sd.lifecycleStage ? ` (stage ${sd.lifecycleStage})` : ''}`);
  }
  if (ours) {
    state.push(`${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} running`);
    if ((ours.pendingCount ?? 0) > 0) state.push(`${ours.pendingCount} pending`);
    if ((ours.failedTasks ?? 0) > 0) state.push(`${ours.failedTasks} failed`);
  } else {
    state.push(snapshot.service ? 'no deployment of it seen yet' : 'no answer from ECS yet');
  }
  const others = inDisplayOrder(snapshot.service?.deployments ?? [])
    .filter((d) => d !== ours && (d.runningCount ?? 0) > 0)
    .map(
      (d) =>
        `${revisionName(d.taskDefinition)} still runs ${d.runningCount} task${d.runningCount === 1 ? '' : 's'}`,
    );
  const what = target.rollbackOf ? `the rollback to ${name}` : name;
  return [`${what}: ${state.join(', ')}`, ...others].join('; ');
}

/** The watch's last line. A rollback's watch ends saying where the service is, never SUCCESSFUL. Pure. */
export function verdictLine(verdict: DoneVerdict, target: RolloutTarget): string {
  if (!target.rollbackOf) return `${verdict.state}: ${verdict.reason}`;
  const back = revisionName(target.taskDefinitionArn);
  if (verdict.success) {
    return `ROLLED_BACK: the service is back on ${back} after ${revisionName(target.rollbackOf)} failed`;
  }
  return `${verdict.state}: the rollback to ${back} did not finish: ${verdict.reason}`;
}
