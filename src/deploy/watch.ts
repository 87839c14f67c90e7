import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import { classifyAwsError, errorName, iamAction } from './awsErrors.js';
import { ChangeTracker } from './changes.js';
import {
  describePending,
  judge,
  ourDeployment,
  revisionName,
  sameTaskDefinition,
  type RollbackHint,
  type RolloutState,
  type RolloutTarget,
  type Snapshot,
  type Verdict,
} from './judge.js';

export interface WatchOptions {
  pollSeconds: number;
  timeoutMinutes: number;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface RolloutResult {
  state: RolloutState;
  success: boolean;
  reason: string;
  serviceDeploymentArn: string | undefined;
  deploymentId: string | undefined;
  durationMs: number;
  /** Every line printed that said something new, for the summary. */
  timeline: Array<{ at: Date; text: string }>;
  /** After a failure: who should undo it (see judge.ts); absent = leave the service alone. */
  rollback?: RollbackHint;
  /** The task definition ARN the service was returned to, by ECS or by ecs-ship (rollback.ts). */
  rolledBackTo?: string;
}

// ECS timestamps come from AWS's clock, startedAt from the runner's; allow for drift between them.
const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 30_000;
const CALL_TIMEOUT_MS = 30_000;

/** An ECS call that failed, with the IAM action it needed so the verdict can name it. */
class CallError extends Error {
  constructor(
    readonly action: string,
    override readonly cause: unknown,
  ) {
    super(`${action}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serviceName(service: string): string {
  // ListTasks wants a bare name; the input may be a service ARN (…:service/cluster/name).
  return service.slice(service.lastIndexOf('/') + 1);
}

function elapsed(ms: number): string {
  return `[${String(Math.max(0, Math.round(ms / 1000))).padStart(4)}s]`;
}

class Watcher {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly tracker: ChangeTracker;
  private readonly timeline: Array<{ at: Date; text: string }> = [];
  private readonly seenTasks = new Set<string>();
  private readonly stoppedTasks: Task[] = [];
  private readonly revisionTaskDefs = new Map<string, string | undefined>();
  private sdMode: 'search' | 'follow' | 'off' = 'search';
  private sdArn: string | undefined;

  constructor(
    private readonly ecs: ECSClient,
    private readonly target: RolloutTarget,
    private readonly opts: WatchOptions,
  ) {
    this.sleep = opts.sleep ?? realSleep;
    this.now = opts.now ?? Date.now;
    this.tracker = new ChangeTracker(target);
    if (target.serviceDeploymentArn) {
      this.sdMode = 'follow';
      this.sdArn = target.serviceDeploymentArn;
    }
  }

  /** `news` = false for the per-poll repeat of an unchanged deployment line: logged, not in the timeline. */
  private print(text: string, news = true): void {
    const at = this.now();
    const line = `${elapsed(at - this.target.startedAt.getTime())} ${text}`;
    if (news) this.timeline.push({ at: new Date(at), text: line });
    this.opts.log(line);
  }

  // The operation is named here, not read from the command's class name, which a minifier may mangle.
  // Each call gets its own time limit so one hung connection cannot hold the watch past its timeout.
  private async call<T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await send(AbortSignal.timeout(CALL_TIMEOUT_MS));
    } catch (err) {
      throw new CallError(iamAction(operation), err);
    }
  }

  private async describeService(): Promise<Service | undefined> {
    const cmd = new DescribeServicesCommand({
      cluster: this.target.cluster,
      services: [this.target.service],
    });
    const out = await this.call('DescribeServices', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
    // A missing service is a `failures` entry (reason MISSING), not an exception.
    return out.services?.[0];
  }

  /** Which of the recent service deployments targets our task definition, newest first. */
  private async findServiceDeployment(): Promise<string | undefined> {
    const list = new ListServiceDeploymentsCommand({
      cluster: this.target.cluster,
      service: this.target.service,
      createdAt: { after: new Date(this.target.startedAt.getTime() - CLOCK_SKEW_MS) },
    });
    const found = await this.call('ListServiceDeployments', (abortSignal) =>
      this.ecs.send(list, { abortSignal }),
    );
    const briefs = [...(found.serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    );
    const unknown = [
      ...new Set(briefs.map((b) => b.targetServiceRevisionArn).filter((a): a is string => !!a)),
    ].filter((arn) => !this.revisionTaskDefs.has(arn));
    for (let i = 0; i < unknown.length; i += 20) {
      const cmd = new DescribeServiceRevisionsCommand({ serviceRevisionArns: unknown.slice(i, i + 20) });
      const out = await this.call('DescribeServiceRevisions', (abortSignal) =>
        this.ecs.send(cmd, { abortSignal }),
      );
      for (const rev of out.serviceRevisions ?? []) {
        if (rev.serviceRevisionArn) this.revisionTaskDefs.set(rev.serviceRevisionArn, rev.taskDefinition);
      }
    }
    const ours = briefs.find((b) =>
      sameTaskDefinition(
        this.revisionTaskDefs.get(b.targetServiceRevisionArn ?? ''),
        this.target.taskDefinitionArn,
      ),
    );
    return ours?.serviceDeploymentArn;
  }

  private async serviceDeployment(): Promise<ServiceDeployment | undefined> {
    if (this.sdMode === 'search') {
      try {
        this.sdArn = await this.findServiceDeployment();
      } catch (err) {
        const kind = err instanceof CallError ? classifyAwsError(err.cause) : 'fatal';
        const optional = err instanceof CallError && err.action === 'ecs:ListServiceDeployments';
        if (kind === 'unavailable' || (kind === 'denied' && optional)) {
          this.sdMode = 'off';
          const why = err instanceof CallError ? `${err.action}: ${errorName(err.cause)}` : errorName(err);
          this.print(
            `service deployments are not available (${why}); judging from the service's deployments`,
          );
          return undefined;
        }
        throw err;
      }
      if (!this.sdArn) return undefined;
      this.sdMode = 'follow';
      this.print(`following service deployment ${this.sdArn}`);
    }
    if (this.sdMode !== 'follow' || !this.sdArn) return undefined;
    const cmd = new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [this.sdArn] });
    const out = await this.call('DescribeServiceDeployments', (abortSignal) =>
      this.ecs.send(cmd, { abortSignal }),
    );
    return out.serviceDeployments?.[0];
  }

  /** Stopped tasks of our revision not reported before. */
  private async newlyStoppedTasks(): Promise<Task[]> {
    const list = new ListTasksCommand({
      cluster: this.target.cluster,
      serviceName: serviceName(this.target.service),
      desiredStatus: 'STOPPED',
      maxResults: 100,
    });
    const arns = (
      (await this.call('ListTasks', (abortSignal) => this.ecs.send(list, { abortSignal }))).taskArns ?? []
    ).filter((arn) => !this.seenTasks.has(arn));
    const fresh: Task[] = [];
    const since = this.target.startedAt.getTime() - CLOCK_SKEW_MS;
    for (let i = 0; i < arns.length; i += 100) {
      const cmd = new DescribeTasksCommand({ cluster: this.target.cluster, tasks: arns.slice(i, i + 100) });
      const out = await this.call('DescribeTasks', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
      for (const task of out.tasks ?? []) {
        // A task still stopping has no exit codes yet: look again next poll.
        if (!task.taskArn || task.lastStatus !== 'STOPPED') continue;
        this.seenTasks.add(task.taskArn);
        const when = (task.stoppedAt ?? task.stoppingAt ?? task.createdAt)?.getTime() ?? Infinity;
        if (sameTaskDefinition(task.taskDefinitionArn, this.target.taskDefinitionArn) && when >= since) {
          fresh.push(task);
        }
      }
    }
    this.stoppedTasks.push(...fresh);
    return fresh;
  }

  private result(
    state: RolloutState,
    success: boolean,
    reason: string,
    snapshot: Snapshot,
    extra: Pick<RolloutResult, 'rollback' | 'rolledBackTo'> = {},
  ): RolloutResult {
    return {
      ...extra,
      state,
      success,
      reason,
      serviceDeploymentArn: this.sdArn,
      deploymentId: this.target.deploymentId ?? ourDeployment(snapshot.service, this.target)?.id,
      durationMs: Math.max(0, this.now() - this.target.startedAt.getTime()),
      timeline: this.timeline,
    };
  }

  private verdictForError(err: unknown): Verdict | 'retry' {
    const action = err instanceof CallError ? err.action : 'ecs';
    const cause = err instanceof CallError ? err.cause : err;
    const detail = `${errorName(cause)}: ${cause instanceof Error ? cause.message : String(cause)}`;
    const fail = (reason: string): Verdict => ({ done: true, success: false, state: 'FAILED', reason });
    switch (classifyAwsError(cause)) {
      case 'transient':
        return 'retry';
      case 'denied':
        return fail(`Access denied for ${action}: allow it in the deploy role's IAM policy (${detail})`);
      case 'not-found':
        return fail(`Service ${this.target.service} in cluster ${this.target.cluster} not found (${detail})`);
      default:
        return fail(`${action} failed: ${detail}`);
    }
  }

  async run(): Promise<RolloutResult> {
    const pollMs = Math.max(1, this.opts.pollSeconds * 1000);
    const deadline = this.now() + this.opts.timeoutMinutes * 60_000;
    const rev = revisionName(this.target.taskDefinitionArn);
    this.print(
      `watching ${rev} roll out on ${this.target.service} (cluster ${this.target.cluster}); ` +
        `polling every ${this.opts.pollSeconds}s, timeout ${this.opts.timeoutMinutes} min`,
    );
    let last: Snapshot = {
      service: undefined,
      serviceDeployment: undefined,
      stoppedTasks: this.stoppedTasks,
    };
    let polled = false;
    let failures = 0;
    let lastError: string | undefined;
    for (;;) {
      let verdict: Verdict;
      try {
        const service = await this.describeService();
        // A deleted service is a verdict already; its deployments and tasks add nothing.
        const serviceDeployment = service ? await this.serviceDeployment() : undefined;
        const newly = service ? await this.newlyStoppedTasks() : [];
        last = { service, serviceDeployment, stoppedTasks: this.stoppedTasks };
        polled = true;
        failures = 0;
        lastError = undefined;
        const changed = this.tracker.changes(last, newly);
        for (const line of changed) this.print(line);
        for (const line of this.tracker.unchanged(last, changed)) this.print(line, false);
        verdict = judge(last, this.target);
      } catch (err) {
        const v = this.verdictForError(err);
        if (v === 'retry') {
          failures++;
          lastError = err instanceof CallError ? `${errorName(err.cause)} on ${err.action}` : errorName(err);
          verdict = { done: false };
        } else {
          verdict = v;
        }
      }
      if (verdict.done) {
        this.print(`${verdict.state}: ${verdict.reason}`);
        const extra = {
          ...(verdict.rollback ? { rollback: verdict.rollback } : {}),
          ...(verdict.rolledBackTo ? { rolledBackTo: verdict.rolledBackTo } : {}),
        };
        return this.result(verdict.state, verdict.success, verdict.reason, last, extra);
      }

      const remaining = deadline - this.now();
      if (remaining <= 0) {
        const pending = polled ? describePending(last, this.target) : 'ECS never answered';
        const reason =
          `Timed out after ${this.opts.timeoutMinutes} min waiting for ${rev}: ${pending}` +
          (lastError ? `; last error: ${lastError}` : '');
        this.print(`TIMED_OUT: ${reason}`);
        // A rollout that did not finish in the time the user allowed is undone like a failed one.
        return this.result('TIMED_OUT', false, reason, last, { rollback: 'ours' });
      }
      let delay = pollMs;
      if (failures > 0) {
        delay = Math.min(pollMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, pollMs));
        this.print(`${lastError ?? 'error'}; retrying in ${Math.round(delay / 100) / 10}s`);
      }
      await this.sleep(Math.min(delay, remaining));
    }
  }
}

/**
 * Polls ECS every few seconds and ends on ECS's own verdict (see judge.ts), printing only what changed.
 * Never the SDK waiter: it backs off to minutes, calls a circuit-breaker rollback "stable", and retries
 * AccessDenied until its timeout.
 */
export function watchRollout(
  ecs: ECSClient,
  target: RolloutTarget,
  opts: WatchOptions,
): Promise<RolloutResult> {
  return new Watcher(ecs, target, opts).run();
}
