import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer } from '../http.js';
import { handleApi, type ApiContext, type GitHubRequestLogEntry } from './api.js';
import { grantFor, type Grant, type TokenOptions } from './auth.js';
import { pullRequestPayload, pushPayload, type PullRequestAction } from './events.js';
import { listenHttp, type GitHubError } from './http.js';
import { addRepository, fakeSha, newGitHubState, timestamp, userId, type GitHubState } from './model.js';
import { startOidcIssuer, type OidcIssuer } from './oidc.js';
import { defaultRun, runEnv, type RunContext } from './run.js';
import { commentView, deploymentView, statusView } from './views.js';

export interface GitHubSandboxOptions {
  /** GITHUB_REPOSITORY, default `org/app`. */
  repository?: string;
  /** GITHUB_SERVER_URL, only ever used in links: default `https://github.com`. */
  serverUrl?: string;
}

interface GitHubEvent {
  path: string;
  payload: Record<string, unknown>;
  /** The runner's GITHUB_* variables for this run, GITHUB_EVENT_PATH included. */
  env: Record<string, string>;
  /** The GITHUB_TOKEN this run gets: read-only for a fork's pull request. */
  token: string;
  /** `base` with this run's variables; a fork's PR also loses the ID-token variables, as GitHub withholds them. */
  envFor(base: Record<string, string>): Record<string, string>;
}

interface PullRequestEventOptions {
  action: PullRequestAction;
  number: number;
  /** Default: the PR's head so far, a new commit on `synchronize`, else one named after the PR. */
  headSha?: string;
  headRef?: string;
  baseRef?: string;
  /** A fork's PR: true, or the fork's `owner/name` (default `contributor/<name>`). */
  fork?: boolean | string;
  /** `closed` only: merged or just closed. */
  merged?: boolean;
  title?: string;
  draft?: boolean;
  author?: string;
}

export interface GitHubSandbox {
  /** GITHUB_API_URL: octokit's baseUrl. */
  apiUrl: string;
  serverUrl: string;
  repository: string;
  /** A GITHUB_TOKEN with write access (the default for `github-token`). */
  token: string;
  /** A GITHUB_TOKEN as a fork's pull request gets it: reads only. */
  readOnlyToken: string;
  /** The workflow run: event, ref, sha, the job's `environment` (changes the ID token's sub), run id. */
  run: RunContext;
  oidc: OidcIssuer;
  /** Every REST request in order. */
  requests: GitHubRequestLogEntry[];
  writes(): GitHubRequestLogEntry[];
  /** A test's answer for chosen requests, e.g. `(r) => r.method === 'POST' ? new GitHubError(502, 'Server Error') : undefined`. */
  intercept: ((entry: GitHubRequestLogEntry) => GitHubError | undefined) | undefined;
  addToken(token: string, opts: TokenOptions): void;
  /** A branch, tag or other ref a deployment may name. */
  setRef(name: string, sha: string): void;
  /** A commit status context on a commit, e.g. `setCheck(sha, 'ci', 'success')`. */
  setCheck(sha: string, context: string, state: 'error' | 'failure' | 'pending' | 'success'): void;
  /** Records the PR as GitHub would after the action, writes the payload, makes it the run's event. */
  pullRequestEvent(opts: PullRequestEventOptions): Promise<GitHubEvent>;
  /** A push of a new commit (default on `refs/heads/main`) as the run's event. */
  pushEvent(opts?: { ref?: string; sha?: string }): Promise<GitHubEvent>;
  /** The runner's variables for the current run: GITHUB_*, GITHUB_EVENT_PATH and the two ID-token ones. */
  env(): Record<string, string>;
  /** API-shaped views for assertions. */
  state: {
    raw: GitHubState;
    /** Newest first, each with its statuses newest first. */
    deployments(filter?: { environment?: string }): Record<string, unknown>[];
    /** Oldest first, as the API lists them. */
    comments(number: number): Record<string, unknown>[];
  };
  close(): Promise<void>;
}

/** The shape of GitHub's installation tokens (GITHUB_TOKEN): `ghs_` and 36 characters. */
const newToken = () => `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;

export async function startGitHubSandbox(opts: GitHubSandboxOptions = {}): Promise<GitHubSandbox> {
  const fullName = opts.repository ?? 'org/app';
  const serverUrl = opts.serverUrl ?? 'https://github.com';
  const state = newGitHubState('', serverUrl);
  const repo = addRepository(state, fullName);
  const tokens = new Map<string, Grant>();
  const ctx: ApiContext = { state, tokens, requests: [], intercept: undefined };
  const eventDir = await mkdtemp(join(tmpdir(), 'ecs-ship-github-event-'));
  const run = defaultRun(fullName);
  let eventPath = '';
  let eventCount = 0;

  const oidc = await startOidcIssuer(() => ({ run: github.run, repositoryId: repo.id, serverUrl }));
  const { server, url } = await listenHttp((req, res) => handleApi(ctx, req, res)).catch(async (err) => {
    await oidc.close();
    throw err;
  });
  state.apiUrl = url;

  const check = (sha: string, context: string, value: string) => {
    const checks = repo.checks.get(sha) ?? new Map<string, string>();
    repo.checks.set(sha, checks.set(context, value));
  };
  /** `checked`: the commit the run's own check sits on (a PR's head, else the pushed commit). */
  const writeEvent = async (payload: Record<string, unknown>, checked: string, fork = false) => {
    // Its own path, kept past the await: two events written at once (two runs at once) stay two.
    const path = join(eventDir, `event-${++eventCount}.json`);
    eventPath = path;
    await writeFile(path, JSON.stringify(payload, null, 2));
    // The running job is a check on its commit, pending until it ends: GitHub counts it as a context.
    check(checked, github.run.job, 'pending');
    const token = fork ? github.readOnlyToken : github.token;
    const env = { ...runEnv(github.run, { apiUrl: url, serverUrl }), GITHUB_EVENT_PATH: path };
    const envFor = (base: Record<string, string>) => {
      const merged: Record<string, string> = { ...base, ...env };
      if (fork)
        for (const k of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']) delete merged[k];
      return merged;
    };
    return { path, payload, env, token, envFor };
  };
  const actor = () => ({ login: github.run.actor, id: userId(github.run.actor), type: 'User' as const });

  const github: GitHubSandbox = {
    apiUrl: url,
    serverUrl,
    repository: fullName,
    token: newToken(),
    readOnlyToken: newToken(),
    run,
    oidc,
    requests: ctx.requests,
    writes: () => ctx.requests.filter((r) => r.method !== 'GET'),
    get intercept() {
      return ctx.intercept;
    },
    set intercept(f) {
      ctx.intercept = f;
    },
    addToken: (token, options) => void tokens.set(token, grantFor(options)),
    setRef: (name, sha) => void repo.refs.set(name, sha),
    setCheck: check,
    async pushEvent(o = {}) {
      const ref = o.ref ?? `refs/heads/${repo.defaultBranch}`;
      const before = repo.refs.get(ref.replace(/^refs\/(heads|tags)\//, '')) ?? '0'.repeat(40);
      const after = o.sha ?? fakeSha(`${before} next`);
      repo.refs.set(ref.replace(/^refs\/(heads|tags)\//, ''), after);
      Object.assign(github.run, { eventName: 'push', ref, sha: after, headRef: '', baseRef: '' });
      return writeEvent(pushPayload(state, repo, { ref, before, after }, actor()), after);
    },
    async pullRequestEvent(o) {
      const known = repo.pulls.get(o.number);
      const fork = o.fork === true ? `contributor/${fullName.split('/')[1]}` : o.fork || undefined;
      const headSha =
        o.headSha ??
        (known && o.action === 'synchronize' ? fakeSha(`${known.head.sha} next`) : known?.head.sha) ??
        fakeSha(`${fullName}#${o.number}`);
      const baseRef = o.baseRef ?? known?.base.ref ?? repo.defaultBranch;
      const baseSha = repo.refs.get(baseRef) ?? fakeSha(`${fullName} ${baseRef}`);
      const mergeSha = fakeSha(`merge ${headSha} into ${baseSha}`);
      const closed = o.action === 'closed';
      const merged = closed && (o.merged ?? false);
      const now = timestamp();
      const author = o.author ?? known?.user.login ?? 'octocat';
      const pr = {
        number: o.number,
        title: o.title ?? known?.title ?? `Change ${o.number}`,
        state: closed ? ('closed' as const) : ('open' as const),
        merged,
        draft: o.draft ?? known?.draft ?? false,
        user: { login: author, id: userId(author), type: 'User' as const },
        head: {
          ref: o.headRef ?? known?.head.ref ?? `feature-${o.number}`,
          sha: headSha,
          repo: fork ?? known?.head.repo ?? fullName,
          fork: Boolean(fork ?? known?.head.fork),
        },
        base: { ref: baseRef, sha: baseSha },
        createdAt: known?.createdAt ?? now,
        updatedAt: now,
        closedAt: closed ? now : null,
        mergedAt: merged ? now : null,
        mergeCommitSha: mergeSha,
      };
      repo.pulls.set(o.number, pr);
      // A fork's branch lives in the fork; the PR's own refs exist in the base repository either way.
      if (!pr.head.fork) repo.refs.set(pr.head.ref, headSha);
      repo.refs.set(`refs/pull/${o.number}/head`, headSha);
      repo.refs.set(`refs/pull/${o.number}/merge`, mergeSha);
      if (merged) repo.refs.set(baseRef, mergeSha);
      Object.assign(github.run, {
        eventName: 'pull_request',
        ref: `refs/pull/${o.number}/merge`,
        sha: mergeSha,
        headRef: pr.head.ref,
        baseRef,
        actor: author,
      });
      const moved =
        o.action === 'synchronize' && known ? { before: known.head.sha, after: headSha } : undefined;
      const payload = pullRequestPayload(state, repo, pr, o.action, actor(), moved);
      return writeEvent(payload, headSha, pr.head.fork);
    },
    env: () => ({
      ...runEnv(github.run, { apiUrl: url, serverUrl }),
      GITHUB_EVENT_PATH: eventPath,
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    }),
    state: {
      raw: state,
      deployments: (filter = {}) =>
        [...repo.deployments]
          .filter((d) => filter.environment === undefined || d.environment === filter.environment)
          .sort((a, b) => b.id - a.id)
          .map((d) => ({
            ...deploymentView(state, repo, d),
            statuses: [...d.statuses].reverse().map((s) => statusView(state, repo, d, s)),
          })),
      comments: (number) =>
        repo.comments.filter((c) => c.number === number).map((c) => commentView(state, repo, c)),
    },
    close: async () => {
      await Promise.all([closeServer(server), oidc.close()]);
      await rm(eventDir, { recursive: true, force: true });
    },
  };
  github.addToken(github.token, { write: true });
  github.addToken(github.readOnlyToken, { write: false });
  repo.refs.set(repo.defaultBranch, fakeSha(`${fullName} ${repo.defaultBranch} before`));
  await github.pushEvent({ sha: run.sha });
  return github;
}
