import type { ECSClient } from '@aws-sdk/client-ecs';
import { classifyAwsError, errorName } from '../../aws/errors.js';
import { errorMessage, UserError } from '../../errors.js';
import { revisionName } from '../../aws/arn.js';
import { Poller, waitOptions, type Next, type PollOptions, type TimelineEntry } from '../../poll/poller.js';
import { ourDeployment } from './identify.js';
import { describePending, judge } from './judge.js';
import { snapshotLines, verdictLine, waitingFor } from './lines.js';
import { CallError, SnapshotReader } from './snapshot-reader.js';
import {
  failed,
  type DoneVerdict,
  type RollbackHint,
  type RolloutState,
  type RolloutTarget,
  type Snapshot,
} from './verdict.js';

export type WatchOptions = PollOptions;

export interface RolloutResult {
  state: RolloutState;
  success: boolean;
  reason: string;
  serviceDeploymentArn: string | undefined;
  deploymentId: string | undefined;
  durationMs: number;
  /** Every line printed that said something new, for the summary. */
  timeline: TimelineEntry[];
  /** After a failure: who should undo it (see rollout.ts); absent = leave the service alone. */
  rollback?: RollbackHint;
  /** The task definition ARN the service was returned to, by ECS or by ecs-ship (rollback.ts). */
  rolledBackTo?: string;
}

/** Throttling, 5xx and cut connections are worth another poll: named for the log, e.g. `X on ecs:ListTasks`. */
function transientError(err: unknown): string | undefined {
  const cause = err instanceof CallError ? err.cause : err;
  if (classifyAwsError(cause) !== 'transient') return undefined;
  return err instanceof CallError ? `${errorName(err.cause)} on ${err.action}` : errorName(err);
}

class Watcher {
  private readonly poller: Poller;
  private readonly reader: SnapshotReader;
  private last: Snapshot;
  private polled = false;

  constructor(
    ecs: ECSClient,
    private readonly target: RolloutTarget,
    private readonly opts: WatchOptions,
  ) {
    this.poller = new Poller({
      ...waitOptions(opts),
      elapsedPrefix: true,
      since: target.startedAt.getTime(),
      transient: transientError,
    });
    this.reader = new SnapshotReader(ecs, target, (text) => this.poller.print(text));
    this.last = this.reader.empty();
  }

  private result(verdict: DoneVerdict): RolloutResult {
    return {
      ...(verdict.rollback ? { rollback: verdict.rollback } : {}),
      ...(verdict.rolledBackTo ? { rolledBackTo: verdict.rolledBackTo } : {}),
      state: verdict.state,
      success: verdict.success,
      reason: verdict.reason,
      serviceDeploymentArn: this.reader.serviceDeploymentArn,
      deploymentId: this.target.deploymentId ?? ourDeployment(this.last.service, this.target)?.id,
      durationMs: this.poller.elapsedMs(),
      timeline: this.poller.timeline,
    };
  }

  private verdictForError(err: unknown): DoneVerdict {
    const action = err instanceof CallError ? err.action : 'ecs';
    const cause = err instanceof CallError ? err.cause : err;
    // Already the line a person reads (say, keys AWS refused that could not be renewed).
    if (cause instanceof UserError) return failed(cause.message);
    const detail = `${errorName(cause)}: ${errorMessage(cause)}`;
    switch (classifyAwsError(cause)) {
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

  private async poll(): Promise<Next<DoneVerdict>> {
    const { snapshot, newly } = await this.reader.read();
    this.last = snapshot;
    this.polled = true;
    this.poller.show(snapshotLines(snapshot, newly, this.target));
    const verdict = judge(snapshot, this.target);
    return verdict.done ? { done: verdict } : 'wait';
  }

  private timedOut(rev: string, lastError: string | undefined): DoneVerdict {
    if (!this.polled) {
      // ecs-ship never writes on a state it did not see: no rollback hint, whatever ECS is doing.
      const last = lastError ? ` (last error: ${lastError})` : '';
      return failed(
        `ECS never answered in ${this.opts.timeoutMinutes} min of waiting for ${rev}${last}; ` +
          'the service was left as it is',
        'TIMED_OUT',
      );
    }
    const pending = describePending(this.last, this.target);
    const last = lastError ? `; last error: ${lastError}` : '';
    const reason = `Timed out after ${this.opts.timeoutMinutes} min waiting for ${rev}: ${pending}${last}`;
    // A rollout that did not finish in the time the user allowed is undone like a failed one.
    return failed(reason, 'TIMED_OUT', 'ours');
  }

  async run(): Promise<RolloutResult> {
    const { taskDefinitionArn, rollbackOf, service, cluster } = this.target;
    const rev = revisionName(taskDefinitionArn);
    const what = rollbackOf ? `the rollback from ${revisionName(rollbackOf)} to ${rev}` : `${rev} roll out`;
    this.poller.print(
      `watching ${what} on ${service} (cluster ${cluster}); ` +
        `polling every ${this.opts.pollSeconds}s, timeout ${this.opts.timeoutMinutes} min`,
    );
    let verdict: DoneVerdict;
    try {
      const waited = await this.poller.until(
        () => this.poll(),
        () => waitingFor(this.last, this.target),
      );
      verdict = waited.timedOut ? this.timedOut(rev, waited.lastError) : waited.value;
    } catch (err) {
      verdict = this.verdictForError(err);
    }
    this.poller.print(verdictLine(verdict, this.target));
    return this.result(verdict);
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
