/**
 * Time as every wait here sees it. One object holds both halves so a test's fake clock moves exactly when
 * the code under test sleeps: timeouts are exact and the test takes no time.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The one real sleep: the pollers', and the registry client's between retries. */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const realClock: Clock = { now: () => Date.now(), sleep };
