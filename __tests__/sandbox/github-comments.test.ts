import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { GitHubError } from '../../sandbox/github/http.js';
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/server.js';

let github: GitHubSandbox;
let octokit: ReturnType<typeof getOctokit>;
const repo = { owner: 'org', repo: 'app' };

beforeAll(async () => {
  github = await startGitHubSandbox();
  octokit = getOctokit(github.token, { baseUrl: github.apiUrl });
  await github.pullRequestEvent({ action: 'opened', number: 7 });
  await github.pullRequestEvent({ action: 'opened', number: 8 });
});

afterAll(async () => {
  await github.close();
});

describe('issue comments on a pull request', () => {
  it('creates, lists and edits a comment in place', async () => {
    const created = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: 7,
      body: '<!-- ecs-ship -->\nDeploying',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      body: '<!-- ecs-ship -->\nDeploying',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      issue_url: `${github.apiUrl}/repos/org/app/issues/7`,
      html_url: `https://github.com/org/app/pull/7#issuecomment-${created.data.id}`,
    });
    const updated = await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: created.data.id,
      body: '<!-- ecs-ship -->\nLive at https://pr-7.example.com',
    });
    expect(updated.data).toMatchObject({ id: created.data.id, body: expect.stringContaining('Live at') });
    const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: 7 });
    expect(data.map((c) => [c.id, c.body])).toEqual([[created.data.id, updated.data.body]]);
    expect(github.state.comments(8)).toEqual([]);
  });

  it('pages the list oldest first with a Link header, and octokit.paginate collects all three pages', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await octokit.rest.issues.createComment({ ...repo, issue_number: 8, body: `comment ${i}` })).data.id,
      );
    const first = await octokit.rest.issues.listComments({ ...repo, issue_number: 8, per_page: 2 });
    expect(first.data.map((c) => c.id)).toEqual(ids.slice(0, 2));
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: 8,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(['comment 0', 'comment 1', 'comment 2', 'comment 3', 'comment 4']);
  });

  it('deletes a comment (204), after which it is not found', async () => {
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'to delete' });
    expect((await octokit.rest.issues.deleteComment({ ...repo, comment_id: data.id })).status).toBe(204);
    await expect(octokit.rest.issues.getComment({ ...repo, comment_id: data.id })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses an empty body and one over 65536 characters; a number that is no PR is not found', async () => {
    const post = (body: string, issue_number = 7) =>
      octokit.rest.issues.createComment({ ...repo, issue_number, body });
    await expect(post('  ')).rejects.toMatchObject({
      status: 422,
      response: {
        data: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', field: 'body' }] },
      },
    });
    await expect(post('x'.repeat(65537))).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ message: 'body is too long (maximum is 65536 characters)' }] } },
    });
    await expect(post('hi', 999)).rejects.toMatchObject({ status: 404 });
  });
});

describe('pull requests', () => {
  it('answers GET /pulls/{n} with the head and base the event named', async () => {
    const event = await github.pullRequestEvent({ action: 'opened', number: 9, headRef: 'feat', fork: true });
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: 9 });
    const pr = event.payload.pull_request as { head: { sha: string } };
    expect(data).toMatchObject({
      number: 9,
      state: 'open',
      merged: false,
      html_url: 'https://github.com/org/app/pull/9',
      head: { ref: 'feat', sha: pr.head.sha, repo: { full_name: 'contributor/app', fork: true } },
      base: { ref: 'main', repo: { full_name: 'org/app' } },
    });
    await github.pullRequestEvent({ action: 'closed', number: 9, merged: true });
    const closed = await octokit.rest.pulls.get({ ...repo, pull_number: 9 });
    expect(closed.data).toMatchObject({ state: 'closed', merged: true, merged_at: expect.any(String) });
  });
});

describe('tokens', () => {
  it('answers 401 Bad credentials to an unknown token and logs it', async () => {
    const stranger = getOctokit('ghs_not-a-token', { baseUrl: github.apiUrl });
    await expect(stranger.rest.issues.listComments({ ...repo, issue_number: 7 })).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials' } },
    });
    expect(github.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/repos/org/app/issues/7/comments',
      permission: 'bad credentials',
      status: 401,
    });
  });

  it('lets a read-only token (a fork PR’s) read but answers its writes 403', async () => {
    const reader = getOctokit(github.readOnlyToken, { baseUrl: github.apiUrl });
    expect((await reader.rest.issues.listComments({ ...repo, issue_number: 7 })).status).toBe(200);
    const writes = [
      reader.rest.issues.createComment({ ...repo, issue_number: 7, body: 'from a fork' }),
      reader.rest.repos.createDeployment({ ...repo, ref: 'main', required_contexts: [] }),
    ];
    for (const write of writes)
      await expect(write).rejects.toMatchObject({
        status: 403,
        response: { data: { message: 'Resource not accessible by integration' } },
      });
    expect(github.requests.slice(-3).map((r) => [r.method, r.permission, r.status])).toEqual([
      ['GET', 'read', 200],
      ['POST', 'read', 403],
      ['POST', 'read', 403],
    ]);
    expect(github.state.comments(7).some((c) => c.body === 'from a fork')).toBe(false);
  });

  it('takes a token as `Bearer` too, and per-scope permissions override `write`', async () => {
    github.addToken('ghs_deployments-only', {
      write: true,
      permissions: { issues: 'none', pull_requests: 'none' },
    });
    const res = await fetch(`${github.apiUrl}/repos/org/app/deployments`, {
      headers: { authorization: 'Bearer ghs_deployments-only' },
    });
    expect(res.status).toBe(200);
    const scoped = getOctokit('ghs_deployments-only', { baseUrl: github.apiUrl });
    await expect(scoped.rest.issues.listComments({ ...repo, issue_number: 7 })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('shows a private repository to nobody without a token', async () => {
    const res = await fetch(`${github.apiUrl}/repos/org/app/issues/7/comments`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found' });
  });

  it('acts as the login a token was made for', async () => {
    github.addToken('ghp_maintainer', { write: true, login: 'maintainer' });
    const human = getOctokit('ghp_maintainer', { baseUrl: github.apiUrl });
    const { data } = await human.rest.issues.createComment({ ...repo, issue_number: 8, body: 'by hand' });
    expect(data.user).toMatchObject({ login: 'maintainer', type: 'User' });
  });

  it('lets a test answer chosen requests itself, e.g. a 502', async () => {
    github.intercept = (r) => (r.method === 'POST' ? new GitHubError(502, 'Server Error') : undefined);
    try {
      await expect(
        octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'x' }),
      ).rejects.toMatchObject({
        status: 502,
      });
    } finally {
      github.intercept = undefined;
    }
    expect(github.writes().at(-1)).toMatchObject({ method: 'POST', permission: 'write', status: 502 });
  });
});
