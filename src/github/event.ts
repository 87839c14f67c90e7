import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** What a `pull_request` event says about the pull request a preview is for. */
export interface PullRequestEvent {
  action: string;
  number: number;
  /** The PR's head commit: what the preview runs and the deployment names (not the merge commit). */
  headSha: string;
  /** A fork's pull request: its GITHUB_TOKEN cannot write. */
  fork: boolean;
}

/** Pure: the pull request of a webhook payload; a missing field is the workflow's to fix. */
function pullRequestOf(payload: unknown, eventName: string): PullRequestEvent {
  const p = (payload ?? {}) as {
    action?: unknown;
    number?: unknown;
    pull_request?: { number?: unknown; head?: { sha?: unknown; repo?: { fork?: unknown } } };
  };
  const pr = p.pull_request;
  const number = typeof p.number === 'number' ? p.number : pr?.number;
  if (!pr || typeof number !== 'number' || typeof pr.head?.sha !== 'string') {
    throw new UserError(
      `Input 'preview' is true, but this run's event is '${eventName || 'unknown'}', not a pull_request: run previews on: pull_request.`,
    );
  }
  return {
    action: typeof p.action === 'string' ? p.action : '',
    number,
    headSha: pr.head.sha,
    fork: pr.head.repo?.fork === true,
  };
}

/** The event the runner wrote to GITHUB_EVENT_PATH. */
export async function readPullRequestEvent(env: NodeJS.ProcessEnv): Promise<PullRequestEvent> {
  const path = env.GITHUB_EVENT_PATH ?? '';
  if (path === '') throw new UserError("Input 'preview' is true, but GITHUB_EVENT_PATH is not set.");
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UserError(`Cannot read the event payload GITHUB_EVENT_PATH names (${path}): ${String(err)}`);
  }
  return pullRequestOf(payload, env.GITHUB_EVENT_NAME ?? '');
}
