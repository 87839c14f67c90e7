import type { getOctokit } from '@actions/github';
// ncc inlines the JSON, as for the AWS clients' user agent.
import pkg from '../../package.json' with { type: 'json' };

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
  return getOctokit(token, {
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    userAgent: `ecs-ship/${pkg.version}`,
  });
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
