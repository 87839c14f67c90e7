import { describe, expect, it } from '@jest/globals';
import {
  elapsedPrefix,
  heartbeatLine,
  nextDelay,
  pauseBeforeNextPoll,
  retryLine,
  shortDuration,
} from '../../../src/poll/timing.js';

describe('elapsedPrefix', () => {
  it.each([
    [0, '[   0s]'],
    [499, '[   0s]'],
    [500, '[   1s]'],
    [61_000, '[  61s]'],
    [12_345_678, '[12346s]'],
    // The runner's clock may be behind the start ECS reported: never a negative time.
    [-4000, '[   0s]'],
  ])('%i ms → %s', (ms, prefix) => {
    expect(elapsedPrefix(ms)).toBe(prefix);
  });
});

describe('shortDuration and heartbeatLine', () => {
  it.each([
    [0, '0s'],
    [45_400, '45s'],
    [60_000, '1m'],
    [150_000, '2m 30s'],
    [30 * 60_000, '30m'],
    [12_000, '12s'],
  ])('%i ms → %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });

  it('says what the wait is for and how long of its timeout', () => {
    expect(heartbeatLine('web:8: 1/3 running, 2 pending', 120_000, 30 * 60_000)).toBe(
      'still waiting for web:8: 1/3 running, 2 pending; 2m of 30m',
    );
  });
});

describe('nextDelay', () => {
  it.each([
    [5000, 0, 5000],
    [5000, 1, 10_000],
    [5000, 2, 20_000],
    [5000, 3, 30_000],
    [5000, 9, 30_000],
    [100, 4, 1600],
    // An interval longer than the backoff cap is never shortened.
    [60_000, 1, 60_000],
    [60_000, 5, 60_000],
  ])('interval %i ms after %i failures → %i ms', (interval, failures, delay) => {
    expect(nextDelay(interval, failures)).toBe(delay);
  });
});

describe('retryLine', () => {
  it.each([
    [
      'ThrottlingException on ecs:DescribeServices',
      10_000,
      'ThrottlingException on ecs:DescribeServices; retrying in 10s',
    ],
    ['ServerException', 1600, 'ServerException; retrying in 1.6s'],
    ['ECONNRESET', 250, 'ECONNRESET; retrying in 0.3s'],
  ])('%s after %i ms', (error, delay, line) => {
    expect(retryLine(error, delay)).toBe(line);
  });
});

describe('pauseBeforeNextPoll', () => {
  it.each<[string, number, number, number, boolean, number | undefined]>([
    ['well before the deadline', 0, 60_000, 5000, true, 5000],
    ['the last pause is cut short to poll at the deadline', 58_000, 60_000, 5000, true, 2000],
    ['at the deadline the wait is over', 60_000, 60_000, 5000, true, undefined],
    ['past it too', 61_000, 60_000, 5000, true, undefined],
    ['no poll past the deadline: a pause that fits', 55_000, 60_000, 5000, false, 5000],
    ['no poll past the deadline: one that does not', 56_000, 60_000, 5000, false, undefined],
  ])('%s', (_what, now, deadline, delay, atDeadline, pause) => {
    expect(pauseBeforeNextPoll(now, deadline, delay, atDeadline)).toBe(pause);
  });
});
