/**
 * What every poller here (the rollout watcher, the one-off task, CodeDeploy) takes. `sleep` and `now` are
 * injectable so unit tests drive time instead of waiting for it.
 */
export interface PollOptions {
  pollSeconds: number;
  timeoutMinutes: number;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const realSleep = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));
