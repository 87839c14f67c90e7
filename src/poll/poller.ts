import { ChangedLines, type PollLine } from './changed-lines.js';
import { realClock, type Clock } from './clock.js';
import { elapsedPrefix, heartbeatLine, nextDelay, pauseBeforeNextPoll, retryLine } from './timing.js';

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

/** While nothing is printed, a wait says what it is waiting for this often (a long wait is never silent). */
const HEARTBEAT_MS = 30_000;

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
 * timeline of what was news, prints keyed lines only when they change, and while nothing is printed says
 * every HEARTBEAT_MS what it is still waiting for.
 */
export class Poller {
  readonly timeline: TimelineEntry[] = [];
  readonly since: number;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly lines = new ChangedLines();
  private deadline: number;
  private lastPrintAt: number;

  constructor(private readonly opts: PollerOptions) {
    this.clock = opts.clock ?? realClock;
    this.intervalMs = Math.max(1, opts.intervalMs);
    const now = this.clock.now();
    this.since = opts.since ?? now;
    this.deadline = now + opts.timeoutMs;
    this.lastPrintAt = now;
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

  /** `news` = false for a heartbeat: logged, not in the timeline. */
  print(text: string, news = true): void {
    const at = this.now();
    const line = this.opts.elapsedPrefix ? `${elapsedPrefix(at - this.since)} ${text}` : text;
    if (news) this.timeline.push({ at: new Date(at), text: line });
    this.lastPrintAt = at;
    this.opts.log(line);
  }

  /** One poll's lines: only what changed. */
  show(lines: PollLine[]): void {
    for (const text of this.lines.news(lines)) this.print(text);
  }

  /** The heartbeat, when nothing was printed for HEARTBEAT_MS. */
  private beat(waitingFor: (() => string) | undefined): void {
    if (!waitingFor || this.now() - this.lastPrintAt < HEARTBEAT_MS) return;
    const waited = this.now() - (this.deadline - this.opts.timeoutMs);
    this.print(heartbeatLine(waitingFor(), waited, this.opts.timeoutMs), false);
  }

  /** Whether `text` is new for `key` (remembered either way), for a caller that words the line itself. */
  changed(key: string, text: string): boolean {
    return this.lines.update(key, text);
  }

  /**
   * Polls until a result or the deadline. `waitingFor` names what a heartbeat says the wait is for
   * (`web:8: 1/3 running, 2 pending`); without it the wait has no heartbeat.
   */
  async until<T>(poll: () => Promise<Next<T>>, waitingFor?: () => string): Promise<Waited<T>> {
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
      else this.beat(waitingFor);
      await this.clock.sleep(pause);
    }
  }
}
