/** The pure arithmetic of a wait, kept apart from the loop so tables can pin it down. */

/** Backoff after transient errors never waits longer than this, unless the interval itself is longer. */
const MAX_BACKOFF_MS = 30_000;

/** `[  12s]`: seconds since the wait began, right-aligned so a log's columns line up. */
export function elapsedPrefix(ms: number): string {
  return `[${String(Math.max(0, Math.round(ms / 1000))).padStart(4)}s]`;
}

/** The pause before the next poll: the interval, doubled for each transient failure in a row, bounded. */
export function nextDelay(intervalMs: number, failures: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, intervalMs));
}

/** `45s`, `2m`, `2m 30s`: a wait's length as a heartbeat says it. */
export function shortDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)}m${rest > 0 ? ` ${rest}s` : ''}`;
}

/** `still waiting for web:8: 1/3 running, 2 pending; 2m of 30m`. */
export function heartbeatLine(waitingFor: string, waitedMs: number, timeoutMs: number): string {
  return `still waiting for ${waitingFor}; ${shortDuration(waitedMs)} of ${shortDuration(timeoutMs)}`;
}

/** `ThrottlingException on ecs:DescribeServices; retrying in 10s`. */
export function retryLine(lastError: string, delayMs: number): string {
  return `${lastError}; retrying in ${Math.round(delayMs / 100) / 10}s`;
}

/**
 * How long to sleep before the next poll, or undefined when the wait is over. `pollAtDeadline`: one last
 * poll at the deadline itself (the pause is cut short to reach it); otherwise the wait ends as soon as the
 * next poll would come after the deadline.
 */
export function pauseBeforeNextPoll(
  now: number,
  deadline: number,
  delayMs: number,
  pollAtDeadline: boolean,
): number | undefined {
  const remaining = deadline - now;
  if (pollAtDeadline) return remaining <= 0 ? undefined : Math.min(delayMs, remaining);
  return delayMs > remaining ? undefined : delayMs;
}
