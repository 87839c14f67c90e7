import type { Deployment, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import { revisionName, sameTaskDefinition, taskId, type RolloutTarget, type Snapshot } from './judge.js';
import { trafficLine } from '../strategy.js';

/** `web:7` → `rev 7` for our family, `other:3` stays whole so a foreign deployment stands out. */
function shortRevision(taskDefinition: string | undefined, target: RolloutTarget): string {
  const name = revisionName(taskDefinition);
  const ours = revisionName(target.taskDefinitionArn);
  const family = (s: string) => s.slice(0, s.lastIndexOf(':'));
  if (name.includes(':') && family(name) === family(ours))
    return `rev ${name.slice(name.lastIndexOf(':') + 1)}`;
  return name;
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
 * Remembers what was already printed so each poll prints only what is new: events, stopped tasks, and
 * deployment lines that changed (`changes`, which also make the summary's timeline). `unchanged` gives the
 * other deployment lines, so every poll shows one line per deployment and a long wait is never silent. Deterministic and free of
 * I/O, so a sequence of snapshots can be table-tested into the lines a user would see.
 */
export class ChangeTracker {
  private readonly eventIds = new Set<string>();
  private readonly deploymentLines = new Map<string, string>();
  private lastServiceDeploymentLine: string | undefined;

  constructor(private readonly target: RolloutTarget) {}

  /** Lines for this poll: new events (oldest first), changed deployments, newly stopped tasks. */
  changes(snapshot: Snapshot, newlyStopped: Task[]): string[] {
    const lines: string[] = [];
    const since = this.target.startedAt.getTime();
    const events = (snapshot.service?.events ?? [])
      .filter((e) => e.id && !this.eventIds.has(e.id) && (e.createdAt?.getTime() ?? 0) >= since)
      .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    for (const e of events) {
      this.eventIds.add(e.id ?? '');
      lines.push(e.message ?? '');
    }

    if (snapshot.serviceDeployment) {
      const line = serviceDeploymentLine(snapshot.serviceDeployment);
      if (line !== this.lastServiceDeploymentLine) lines.push(line);
      this.lastServiceDeploymentLine = line;
    }

    for (const d of snapshot.service?.deployments ?? []) {
      const key = d.id ?? d.taskDefinition ?? '?';
      const line = deploymentLine(d, this.target);
      if (this.deploymentLines.get(key) !== line) lines.push(line);
      this.deploymentLines.set(key, line);
    }

    for (const task of newlyStopped) lines.push(stoppedTaskLine(task));
    return lines;
  }

  /** The deployment lines `changes` left out because they are the same as last poll. */
  unchanged(snapshot: Snapshot, changed: string[]): string[] {
    return (snapshot.service?.deployments ?? [])
      .map((d) => deploymentLine(d, this.target))
      .filter((line) => !changed.includes(line));
  }
}
