import { errorMessage, isNetworkError } from '../../errors.js';
import { sleep } from '../../poll/clock.js';

/** A registry answered with an HTTP status the caller did not expect. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Worth repeating whatever the status, e.g. a token that expired during a long upload. */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/**
 * Whether a failed step is worth repeating: cut or refused connections, timeouts, 5xx, 408 and 429. A
 * 4xx is an answer (wrong credentials, unknown repository) that repeating would not change.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof HttpStatusError)
    return err.transient || err.status >= 500 || err.status === 408 || err.status === 429;
  if (!(err instanceof Error)) return false;
  if (isNetworkError(err)) return true;
  return /socket hang up|aborted|premature close/i.test(err.message);
}

/** Exponential backoff with ±20% jitter so parallel uploads do not retry in lockstep. */
export function backoffMs(attempt: number, baseMs: number, random: number = Math.random()): number {
  const raw = Math.min(baseMs * 2 ** (attempt - 1), 8000);
  return Math.round(raw * (0.8 + 0.4 * random));
}

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  log?: (line: string) => void;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseMs: 300 };

/** Runs an idempotent step, again after a transient failure, up to `attempts` times in all. */
export async function withRetries<T>(what: string, step: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (attempt >= opts.attempts || !isTransient(err)) throw err;
      const wait = backoffMs(attempt, opts.baseMs);
      const reason = errorMessage(err);
      opts.log?.(`${what} failed (${reason}); retrying in ${(wait / 1000).toFixed(1)} s`);
      await sleep(wait);
    }
  }
}
