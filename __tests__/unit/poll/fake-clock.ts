import type { Clock } from '../../../src/poll/clock.js';

/** Time that moves only when the code under test sleeps: timeouts are exact and the test instant. */
export interface FakeClock extends Clock {
  /** Every pause asked for, in order. */
  slept: number[];
  /** Moves time without a sleep, as a slow call would. */
  advance(ms: number): void;
}

export function fakeClock(start = 0): FakeClock {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
