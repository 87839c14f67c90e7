import { describe, expect, it } from '@jest/globals';
import { Poller, type Next, type PollerOptions } from '../../../src/poll/poller.js';
import { fakeClock, type FakeClock } from './fake-clock.js';

const START = 1_000_000;

function setup(over: Partial<PollerOptions> = {}): { poller: Poller; clock: FakeClock; lines: string[] } {
  const clock = fakeClock(START);
  const lines: string[] = [];
  const poller = new Poller({
    intervalMs: 5000,
    timeoutMs: 60_000,
    log: (line) => lines.push(line),
    clock,
    ...over,
  });
  return { poller, clock, lines };
}

/** A poll that gives `results` one after the other (an Error is thrown), then waits forever. */
function polls<T>(results: Array<Next<T> | Error>): { poll: () => Promise<Next<T>>; count: () => number } {
  let n = 0;
  return {
    poll: async () => {
      const r = results[n++] ?? 'wait';
      if (r instanceof Error) throw r;
      return r;
    },
    count: () => n,
  };
}

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const transient = (err: unknown) =>
  err instanceof Error && err.name === 'ThrottlingException' ? err.name : undefined;

describe('Poller.until', () => {
  it('returns the first result, sleeping the interval between polls', async () => {
    const { poller, clock } = setup();
    const { poll, count } = polls<string>(['wait', 'wait', { done: 'ok' }]);
    expect(await poller.until(poll)).toEqual({ timedOut: false, value: 'ok' });
    expect(count()).toBe(3);
    expect(clock.slept).toEqual([5000, 5000]);
  });

  it('polls one last time at the deadline, then says it timed out', async () => {
    const { poller, clock } = setup({ intervalMs: 7000, timeoutMs: 20_000 });
    const { poll, count } = polls<string>([]);
    expect(await poller.until(poll)).toEqual({ timedOut: true, lastError: undefined });
    // 0, 7, 14 and, cut short, 20 s.
    expect(clock.slept).toEqual([7000, 7000, 6000]);
    expect(count()).toBe(4);
    expect(clock.now() - START).toBe(20_000);
  });

  it('without a poll at the deadline, stops when the next poll would come after it', async () => {
    const { poller, clock } = setup({ intervalMs: 7000, timeoutMs: 20_000, pollAtDeadline: false });
    const { poll, count } = polls<string>([]);
    expect(await poller.until(poll)).toEqual({ timedOut: true, lastError: undefined });
    expect(count()).toBe(3);
    expect(clock.now() - START).toBe(14_000);
  });

  it('counts a slow poll against the deadline', async () => {
    const { poller, clock } = setup({ timeoutMs: 12_000 });
    const waited = await poller.until(async () => {
      clock.advance(3000);
      return 'wait';
    });
    expect(waited.timedOut).toBe(true);
    // Polls from 0 to 3 s, 8 to 11 s, 12 to 15 s: the time a poll takes counts, the sleeps do not stretch it.
    expect(clock.slept).toEqual([5000, 1000]);
  });

  it("polls again at once on 'now', without a sleep", async () => {
    const { poller, clock } = setup();
    const { poll, count } = polls<number>(['now', 'now', { done: 1 }]);
    expect(await poller.until(poll)).toEqual({ timedOut: false, value: 1 });
    expect(count()).toBe(3);
    expect(clock.slept).toEqual([]);
  });

  it('a restarted deadline gives the full timeout again from now', async () => {
    const { poller, clock } = setup({ timeoutMs: 10_000 });
    let n = 0;
    const waited = await poller.until(async (): Promise<Next<never>> => {
      n += 1;
      if (n === 3) poller.restartDeadline();
      return 'wait';
    });
    expect(waited.timedOut).toBe(true);
    // Polls at 0, 5, 10 (restart: deadline 20), 15, 20.
    expect(clock.now() - START).toBe(20_000);
    expect(n).toBe(5);
  });

  it('backs off on transient errors, doubling up to 30 s, says so, and starts over after an answer', async () => {
    const { poller, clock, lines } = setup({ transient, timeoutMs: 30 * 60_000 });
    const { poll } = polls<string>([
      throttled(),
      throttled(),
      throttled(),
      throttled(),
      'wait',
      throttled(),
      { done: 'ok' },
    ]);
    expect(await poller.until(poll)).toEqual({ timedOut: false, value: 'ok' });
    expect(clock.slept).toEqual([10_000, 20_000, 30_000, 30_000, 5000, 10_000]);
    expect(lines).toEqual([
      'ThrottlingException; retrying in 10s',
      'ThrottlingException; retrying in 20s',
      'ThrottlingException; retrying in 30s',
      'ThrottlingException; retrying in 30s',
      'ThrottlingException; retrying in 10s',
    ]);
  });

  it('times out while retrying, naming the last error', async () => {
    const { poller, clock } = setup({ transient });
    const waited = await poller.until(async (): Promise<Next<never>> => {
      throw throttled();
    });
    expect(waited).toEqual({ timedOut: true, lastError: 'ThrottlingException' });
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(60_000);
  });

  it('lets any other error end the wait at once', async () => {
    const { poller, clock } = setup({ transient });
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    await expect(poller.until(polls<string>(['wait', denied]).poll)).rejects.toBe(denied);
    expect(clock.slept).toEqual([5000]);
  });

  it('without a transient rule, every error ends the wait', async () => {
    const { poller, clock } = setup();
    await expect(poller.until(polls<string>([throttled()]).poll)).rejects.toThrow('Rate exceeded');
    expect(clock.slept).toEqual([]);
  });
});

describe('Poller heartbeat', () => {
  /** Polls that print `changes[n]` (when given) on poll n, until `polls` polls, then a result. */
  async function run(
    over: Partial<PollerOptions>,
    polls: number,
    changes: Record<number, string>,
    waitingFor: (() => string) | undefined,
  ): Promise<string[]> {
    const { poller, lines } = setup({ elapsedPrefix: true, ...over });
    let n = 0;
    await poller.until(async (): Promise<Next<string>> => {
      const change = changes[n];
      if (change !== undefined) poller.show([{ key: 'deployment', text: change }]);
      return ++n >= polls ? { done: 'ok' } : 'wait';
    }, waitingFor);
    return lines;
  }

  it.each<[string, Partial<PollerOptions>, number, Record<number, string>, string[]]>([
    [
      'every 30 s while nothing changes, saying how long of the timeout',
      { intervalMs: 2000, timeoutMs: 30 * 60_000 },
      // Two minutes of polls every 2 s.
      61,
      { 0: 'running 1/3' },
      [
        '[   0s] running 1/3',
        '[  30s] still waiting for web:8: 1/3 running; 30s of 30m',
        '[  60s] still waiting for web:8: 1/3 running; 1m of 30m',
        '[  90s] still waiting for web:8: 1/3 running; 1m 30s of 30m',
      ],
    ],
    [
      'counted from the last line printed, so a change puts it off',
      { intervalMs: 2000, timeoutMs: 30 * 60_000 },
      46,
      { 0: 'running 1/3', 10: 'running 2/3' },
      [
        '[   0s] running 1/3',
        '[  20s] running 2/3',
        '[  50s] still waiting for web:8: 1/3 running; 50s of 30m',
        '[  80s] still waiting for web:8: 1/3 running; 1m 20s of 30m',
      ],
    ],
    [
      'after each poll when the interval is longer than 30 s',
      { intervalMs: 45_000, timeoutMs: 60 * 60_000 },
      3,
      {},
      ['[  45s] still waiting for web:8: 1/3 running; 45s of 60m'],
    ],
  ])('%s', async (_what, over, polls, changes, printed) => {
    expect(await run(over, polls, changes, () => 'web:8: 1/3 running')).toEqual(printed);
  });

  it('never beats for a wait that does not say what it waits for', async () => {
    expect(await run({ intervalMs: 2000, timeoutMs: 30 * 60_000 }, 61, {}, undefined)).toEqual([]);
  });

  it('a 30-minute wait at 2 s prints 59 heartbeats, not 900 repeated lines', async () => {
    const { poller, lines } = setup({ intervalMs: 2000, timeoutMs: 30 * 60_000 });
    const waited = await poller.until(
      async (): Promise<Next<never>> => {
        poller.show([{ key: 'deployment', text: 'PRIMARY rev 8 (new)  running 1/3  pending 2' }]);
        return 'wait';
      },
      () => 'web:8',
    );
    expect(waited.timedOut).toBe(true);
    expect(lines).toHaveLength(1 + 59);
    expect(lines.at(-1)).toBe('still waiting for web:8; 29m 30s of 30m');
    // Heartbeats are not news: the summary's timeline keeps the changes only.
    expect(poller.timeline.map((t) => t.text)).toEqual(['PRIMARY rev 8 (new)  running 1/3  pending 2']);
  });

  it('a restarted deadline counts the wait again from the restart', async () => {
    const { poller, lines, clock } = setup({ intervalMs: 10_000, timeoutMs: 60_000 });
    await clock.sleep(40_000);
    poller.restartDeadline();
    let n = 0;
    await poller.until(
      async (): Promise<Next<string>> => (++n > 4 ? { done: 'ok' } : 'wait'),
      () => 'the rollback',
    );
    expect(lines).toEqual([
      'still waiting for the rollback; 0s of 1m',
      'still waiting for the rollback; 30s of 1m',
    ]);
  });
});

describe('Poller printing', () => {
  it('prefixes the time since `since` and keeps every news line in the timeline, with its time', async () => {
    const { poller, clock, lines } = setup({ elapsedPrefix: true, since: START - 2000 });
    poller.print('watching');
    await clock.sleep(5000);
    poller.print('done');
    expect(lines).toEqual(['[   2s] watching', '[   7s] done']);
    expect(poller.timeline).toEqual([
      { at: new Date(START), text: '[   2s] watching' },
      { at: new Date(START + 5000), text: '[   7s] done' },
    ]);
    expect(poller.elapsedMs()).toBe(7000);
  });

  it('prints lines as they are without the prefix, elapsed time counted from its making', async () => {
    const { poller, clock, lines } = setup();
    await clock.sleep(3000);
    poller.print('one-off task started');
    expect(lines).toEqual(['one-off task started']);
    expect(poller.timeline.map((t) => t.text)).toEqual(lines);
    expect(poller.elapsedMs()).toBe(3000);
  });

  const shows = (texts: string[]) => [
    { key: 'status', text: texts[0] ?? '' },
    { key: 'deployment', text: texts[1] ?? '' },
    { text: texts[2] ?? '' },
  ];

  it('shows only what changed, never an unchanged keyed line again', () => {
    const { poller, lines } = setup();
    poller.show(shows(['IN_PROGRESS', 'running 1/2', 'event a']));
    poller.show(shows(['IN_PROGRESS', 'running 1/2', 'event b']));
    poller.show(shows(['SUCCESSFUL', 'running 2/2', 'event c']));
    expect(lines).toEqual([
      'IN_PROGRESS',
      'running 1/2',
      'event a',
      'event b',
      'SUCCESSFUL',
      'running 2/2',
      'event c',
    ]);
    expect(poller.timeline.map((t) => t.text)).toEqual(lines);
  });

  it('changed() remembers a key for a caller that words its own line', () => {
    const { poller } = setup();
    expect(['PENDING', 'PENDING', 'IN_PROGRESS'].map((s) => poller.changed('scan', s))).toEqual([
      true,
      false,
      true,
    ]);
  });
});
