import type { ECSClient } from '@aws-sdk/client-ecs';
import { classifyAwsError, errorName } from '../../aws/errors.js';
import { ChangeTracker } from './changes.js';
import { ourDeployment, revisionName } from './identify.js';
import { describePending, judge } from './judge.js';
import {
  failed,
  type RollbackHint,
  type RolloutState,
  type RolloutTarget,
  type Snapshot,
  type Verdict,
} from './verdict.js';
import { CallError, SnapshotReader } from './snapshot-reader.js';
import { realSleep, type PollOptions } from '../../poll.js';

export type WatchOptions = PollOptions;

export interface RolloutResult {
  state: RolloutState;
  success: boolean;
  reason: string;
  serviceDeploymentArn: string | undefined;
  deploymentId: string | undefined;
  durationMs: number;
  /** Every line printed that said something new, for the summary. */
  timeline: Array<{ at: Date; text: string }>;
  /** After a failure: who should undo it (see rollout.ts); absent = leave the service alone. */
  rollback?: RollbackHint;
  /** The task definition ARN the service was returned to, by ECS or by ecs-ship (rollback.ts). */
  rolledBackTo?: string;
}

const MAX_BACKOFF_MS = 30_000;

function elapsed(ms: number): string {
  return `[${String(Math.max(0, Math.round(ms / 1000))).padStart(4)}s]`;
}

class Watcher {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly tracker: ChangeTracker;
  private readonly reader: SnapshotReader;
  private readonly timeline: Array<{ at: Date; text: string }> = [];

  constructor(
    ecs: ECSClient,
    private readonly target: RolloutTarget,
    private readonly opts: WatchOptions,
  ) {
    this.sleep = opts.sleep ?? realSleep;
    this.now = opts.now ?? Date.now;
    this.tracker = new ChangeTracker(target);
    this.reader = new SnapshotReader(ecs, target, (text) => this.print(text));
  }

  /** `news` = false for the per-poll repeat of an unchanged deployment line: logged, not in the timeline. */
  private print(text: string, news = true): void {
    const at = this.now();
    const line = `${elapsed(at - this.target.startedAt.getTime())} ${text}`;
    if (news) this.timeline.push({ at: new Date(at), text: line });
    this.opts.log(line);
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
      serviceDeploymentArn: this.reader.serviceDeploymentArn,
      deploymentId: this.target.deploymentId ?? ourDeployment(snapshot.service, this.target)?.id,
      durationMs: Math.max(0, this.now() - this.target.startedAt.getTime()),
      timeline: this.timeline,
    };
  }

  private verdictForError(err: unknown): Verdict | 'retry' {
    const action = err instanceof CallError ? err.action : 'ecs';
    const cause = err instanceof CallError ? err.cause : err;
    const detail = `${errorName(cause)}: ${cause instanceof Error ? cause.message : String(cause)}`;
    switch (classifyAwsError(cause)) {
      case 'transient':
        return 'retry';
      case 'denied':
        return failed(`Access denied for ${action}: allow it in the deploy role's IAM policy (${detail})`);
      case 'not-found':
        return failed(
          `Service ${this.target.service} in cluster ${this.target.cluster} not found (${detail})`,
        );
      default:
        return failed(`${action} failed: ${detail}`);
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
    let last: Snapshot = this.reader.empty();
    let polled = false;
    let failures = 0;
    let lastError: string | undefined;
    for (;;) {
      let verdict: Verdict;
      try {
        const { snapshot, newly } = await this.reader.read();
        last = snapshot;
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
