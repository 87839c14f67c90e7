import { ChangedLines, type PollLine } from './changed-lines.js';
import { realClock, type Clock } from './clock.js';
import { elapsedPrefix, nextDelay, pauseBeforeNextPoll, retryLine } from './timing.js';

/** What a wait takes from the deploy inputs (poll-seconds, timeout-minutes), and the clock tests replace. */
export interface PollOptions {
  pollSeconds: number;
  timeoutMinutes: number;
  log: (line: string) => void;
  clock?: Clock | undefined;
}

/** A line that said something new, with its time: the summary's timeline. */
export interface TimelineEntry {
  at: Date;
  text: string;
}

/** What one poll ends in: the wait's result, another poll after the interval (`wait`), or one at once (`now`). */
export type Next<T> = { done: T } | 'wait' | 'now';

/** How a wait ended: with the value a poll gave, or at the deadline, with the transient error it was retrying. */
type Waited<T> = { timedOut: false; value: T } | { timedOut: true; lastError: string | undefined };

/**
 * What a poll does with a lasting line (a deployment's counts) that did not change: `repeat` prints it again
 * (a long wait is never silent; not in the timeline), `quiet` leaves it out.
 */
type Unchanged = 'repeat' | 'quiet';

// The one place that decides it for every wait (issue 10 makes it a heartbeat).
const UNCHANGED: Unchanged = 'repeat';

export interface PollerOptions {
  intervalMs: number;
  timeoutMs: number;
  log: (line: string) => void;
  clock?: Clock | undefined;
  /** Prefix every line with the time since `since` (`[  12s] `). */
  elapsedPrefix?: boolean;
  /** Where elapsed time and `elapsedMs` count from; default: when the poller was made. */
  since?: number;
  /**
   * Says which errors a poll may throw and still be repeated, and names them for the log (the poller backs
   * off and says so); any other error ends the wait by propagating. Without it, every error does.
   */
  transient?: (err: unknown) => string | undefined;
  /** Default true: one last poll at the deadline itself. false: stop when the next poll would come after it. */
  pollAtDeadline?: boolean;
  unchanged?: Unchanged;
}

/** The interval, timeout, log and clock a wait takes from its caller's PollOptions. */
export function waitOptions(
  opts: PollOptions,
): Pick<PollerOptions, 'intervalMs' | 'timeoutMs' | 'log' | 'clock'> {
  return {
    intervalMs: opts.pollSeconds * 1000,
    timeoutMs: opts.timeoutMinutes * 60_000,
    log: opts.log,
    clock: opts.clock,
  };
}

/**
 * Every wait here (rollout, CodeDeploy, one-off task, scan gate): polls until a poll gives a result or the
 * deadline passes, backs off on transient errors, prints through one log with the elapsed time, keeps the
 * timeline of what was news, and prints keyed lines only when they change.
 */
export class Poller {
  readonly timeline: TimelineEntry[] = [];
  readonly since: number;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly lines = new ChangedLines();
  private deadline: number;

  constructor(private readonly opts: PollerOptions) {
    this.clock = opts.clock ?? realClock;
    this.intervalMs = Math.max(1, opts.intervalMs);
    const now = this.clock.now();
    this.since = opts.since ?? now;
    this.deadline = now + opts.timeoutMs;
  }

  now(): number {
    return this.clock.now();
  }

  /** Time since `since`, never negative (ECS's clock and the runner's may disagree). */
  elapsedMs(): number {
    return Math.max(0, this.now() - this.since);
  }

  /** The full timeout again from now: a rollback gets a wait of its own. */
  restartDeadline(): void {
    this.deadline = this.now() + this.opts.timeoutMs;
  }

  /** `news` = false for a repeated line: logged, not in the timeline. */
  print(text: string, news = true): void {
    const at = this.now();
    const line = this.opts.elapsedPrefix ? `${elapsedPrefix(at - this.since)} ${text}` : text;
    if (news) this.timeline.push({ at: new Date(at), text: line });
    this.opts.log(line);
  }

  /** One poll's lines: what changed, then the lasting lines that did not, as `unchanged` says. */
  show(lines: PollLine[]): void {
    const { news, same } = this.lines.sort(lines);
    for (const text of news) this.print(text);
    if ((this.opts.unchanged ?? UNCHANGED) === 'repeat') for (const text of same) this.print(text, false);
  }

  /** Whether `text` is new for `key` (remembered either way), for a caller that words the line itself. */
  changed(key: string, text: string): boolean {
    return this.lines.update(key, text);
  }

  async until<T>(poll: () => Promise<Next<T>>): Promise<Waited<T>> {
    let failures = 0;
    let lastError: string | undefined;
    for (;;) {
      let next: Next<T>;
      try {
        next = await poll();
        failures = 0;
        lastError = undefined;
      } catch (err) {
        lastError = this.opts.transient?.(err);
        if (lastError === undefined) throw err;
        failures++;
        next = 'wait';
      }
      if (next === 'now') continue;
      if (next !== 'wait') return { timedOut: false, value: next.done };
      const delay = nextDelay(this.intervalMs, failures);
      const pause = pauseBeforeNextPoll(this.now(), this.deadline, delay, this.opts.pollAtDeadline ?? true);
      if (pause === undefined) return { timedOut: true, lastError };
      if (lastError !== undefined) this.print(retryLine(lastError, delay));
      await this.clock.sleep(pause);
    }
  }
}
