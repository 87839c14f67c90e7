import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/server.js';

const ROOT = resolve(import.meta.dirname, '../..');
let github: GitHubSandbox;

beforeAll(async () => {
  github = await startGitHubSandbox();
});

afterAll(async () => {
  await github.close();
});

/** What @actions/github's `context` makes of an env, read in a fresh process as the action would. */
async function contextUnder(env: Record<string, string>) {
  const script = `import { context } from '@actions/github';
    const pr = context.payload.pull_request;
    console.log(JSON.stringify({ eventName: context.eventName, sha: context.sha, ref: context.ref,
      runId: context.runId, apiUrl: context.apiUrl, repo: context.repo, issue: context.issue,
      action: context.payload.action, head: pr && { sha: pr.head.sha, ref: pr.head.ref, fork: pr.head.repo.fork },
      merged: pr && pr.merged, after: context.payload.after }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('event payloads for GITHUB_EVENT_PATH', () => {
  it('starts as a push run, which @actions/github reads', async () => {
    const env = github.env();
    const payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({
      ref: 'refs/heads/main',
      after: github.run.sha,
      head_commit: { id: github.run.sha },
      repository: { full_name: 'org/app', default_branch: 'main', pushed_at: expect.any(Number) },
    });
    expect(await contextUnder(env)).toMatchObject({
      eventName: 'push',
      sha: github.run.sha,
      ref: 'refs/heads/main',
      runId: github.run.runId,
      apiUrl: github.apiUrl,
      repo: { owner: 'org', repo: 'app' },
      after: github.run.sha,
    });
  });

  it('writes opened, synchronize and closed as GitHub sends them', async () => {
    const opened = await github.pullRequestEvent({ action: 'opened', number: 7, headRef: 'feature' });
    const head1 = (opened.payload.pull_request as { head: { sha: string } }).head.sha;
    expect(await contextUnder(opened.envFor({}))).toMatchObject({
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      issue: { owner: 'org', repo: 'app', number: 7 },
      action: 'opened',
      head: { sha: head1, ref: 'feature', fork: false },
      merged: false,
    });
    expect(opened.env).toMatchObject({ GITHUB_HEAD_REF: 'feature', GITHUB_BASE_REF: 'main' });
    // The merge commit GitHub runs a pull_request workflow on is not the head.
    expect(opened.env.GITHUB_SHA).not.toBe(head1);

    const pushed = await github.pullRequestEvent({ action: 'synchronize', number: 7 });
    const head2 = (pushed.payload.pull_request as { head: { sha: string } }).head.sha;
    expect(head2).not.toBe(head1);
    expect(pushed.payload).toMatchObject({ action: 'synchronize', before: head1, after: head2 });

    const closed = await github.pullRequestEvent({ action: 'closed', number: 7, merged: false });
    expect(closed.payload).toMatchObject({
      action: 'closed',
      number: 7,
      pull_request: {
        state: 'closed',
        merged: false,
        merged_at: null,
        closed_at: expect.any(String),
        html_url: 'https://github.com/org/app/pull/7',
        head: { sha: head2, ref: 'feature' },
      },
    });
    const merged = await github.pullRequestEvent({ action: 'closed', number: 7, merged: true });
    expect(await contextUnder(merged.envFor({}))).toMatchObject({ action: 'closed', merged: true });
  });

  it('gives a fork PR a read-only token and no ID-token variables', async () => {
    const event = await github.pullRequestEvent({ action: 'reopened', number: 11, fork: 'someone/app' });
    expect(event.token).toBe(github.readOnlyToken);
    const env = event.envFor(github.env());
    expect(env).not.toHaveProperty('ACTIONS_ID_TOKEN_REQUEST_URL');
    expect(env).not.toHaveProperty('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    expect(event.payload.pull_request).toMatchObject({
      head: { label: 'someone:feature-11', repo: { full_name: 'someone/app', fork: true } },
      base: { repo: { full_name: 'org/app', fork: false } },
    });
    expect((await contextUnder(env)).head).toMatchObject({ fork: true });
    // Same-repository PRs keep both.
    const own = await github.pullRequestEvent({ action: 'opened', number: 12 });
    expect(own.token).toBe(github.token);
    expect(own.envFor(github.env())).toHaveProperty('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
  });
});
