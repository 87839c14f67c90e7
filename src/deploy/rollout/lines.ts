import type { Deployment, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { parseRevision, revisionName } from '../../aws/arn.js';
import type { PollLine } from '../../poll/changed-lines.js';
import { trafficLine } from '../strategy.js';
import { taskId } from './evidence.js';
import { sameTaskDefinition } from './identify.js';
import type { RolloutTarget, Snapshot } from './verdict.js';

/** `web:7` → `rev 7` for our family, `other:3` stays whole so a foreign deployment stands out. */
function shortRevision(taskDefinition: string | undefined, target: RolloutTarget): string {
  const rev = parseRevision(taskDefinition);
  const ours = parseRevision(target.taskDefinitionArn);
  return rev && rev.family === ours?.family ? `rev ${rev.revision}` : revisionName(taskDefinition);
}

export function deploymentLine(d: Deployment, target: RolloutTarget): string {
  const mine = sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn) ? ' (new)' : '';
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

/**
 * What one poll saw, as lines for the poller (which prints a keyed line only when its text changed): events
 * since the deploy began (oldest first, each once), our service deployment, one line per deployment (a
 * lasting state), and the stopped tasks the reader saw first this poll. Pure.
 */
export function snapshotLines(snapshot: Snapshot, newlyStopped: Task[], target: RolloutTarget): PollLine[] {
  const since = target.startedAt.getTime();
  const events = (snapshot.service?.events ?? [])
    .filter((e) => e.id && (e.createdAt?.getTime() ?? 0) >= since)
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))
    .map((e) => ({ key: `event ${e.id}`, text: e.message ?? '' }));
  const sd = snapshot.serviceDeployment;
  const deployments = (snapshot.service?.deployments ?? []).map((d) => ({
    key: `deployment ${d.id ?? d.taskDefinition ?? '?'}`,
    text: deploymentLine(d, target),
    lasting: true,
  }));
  return [
    ...events,
    ...(sd ? [{ key: 'service deployment', text: serviceDeploymentLine(sd) }] : []),
    ...deployments,
    ...newlyStopped.map((task) => ({ text: stoppedTaskLine(task) })),
  ];
}
