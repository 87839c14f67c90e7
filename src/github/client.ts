import type { getOctokit } from '@actions/github';
// ncc inlines the JSON, as for the AWS clients' user agent.
import pkg from '../../package.json' with { type: 'json' };
import { isNetworkError } from '../errors.js';
import { sleep } from '../poll/clock.js';

export type Octokit = ReturnType<typeof getOctokit>;

/** Where the run is: the repository, its commit, and the run's page (a deployment status's log_url). */
export interface RunOnGitHub {
  owner: string;
  repo: string;
  /** `owner/name`, as GITHUB_REPOSITORY says. */
  repository: string;
  sha: string;
  runUrl: string;
}

/** Pure: the run as the runner's GITHUB_* variables describe it. */
export function runOnGitHub(env: NodeJS.ProcessEnv): RunOnGitHub {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner = '', repo = ''] = repository.split('/');
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const runUrl = `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
  return { owner, repo, repository, sha: env.GITHUB_SHA ?? '', runUrl };
}

/**
 * The REST client. @actions/github (Octokit and its plugins) is imported here, on first use: a deploy
 * without `environment` or `preview` never loads it. GITHUB_API_URL points it at GHES or the sandbox.
 */
export async function openOctokit(token: string, env: NodeJS.ProcessEnv): Promise<Octokit> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(token, {
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    userAgent: `ecs-ship/${pkg.version}`,
  });
  // GitHub's own hiccups are asked again (getOctokit retries nothing): one 502 must not cost the run its
  // deployment and comment. An answer (403, 404, 422) is final.
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options);
      } catch (err) {
        if (attempt >= ATTEMPTS || !isTransientGitHubError(err)) throw err;
        await sleep(PAUSE_MS * attempt);
      }
    }
  });
  return octokit;
}

const ATTEMPTS = 3;
const PAUSE_MS = 1000;

/** Pure: a failure worth asking again: 5xx, 429, or no answer at all. */
export function isTransientGitHubError(err: unknown): boolean {
  const { status } = err as { status?: unknown };
  if (typeof status === 'number' && status > 0) return status >= 500 || status === 429;
  return isNetworkError(err) || isNetworkError((err as { cause?: unknown }).cause);
}

/** Pure: one line for a failed GitHub call; a token that may not write says which permission it lacks. */
export function describeGitHubError(err: unknown, permission: string): string {
  const { status, message } = err as { status?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message.split('\n')[0] : String(err);
  if (status === 403 || status === 404) {
    return `the token cannot write here (${status}: ${text}); it needs \`permissions: ${permission}: write\` (a fork's pull request never gets it)`;
  }
  return typeof status === 'number' ? `GitHub answered ${status}: ${text}` : (text ?? 'unknown error');
}
