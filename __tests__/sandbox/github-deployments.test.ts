import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/server.js';

let github: GitHubSandbox;
let octokit: ReturnType<typeof getOctokit>;
const repo = { owner: 'org', repo: 'app' };
const SHA = 'a'.repeat(40);

beforeAll(async () => {
  github = await startGitHubSandbox();
  octokit = getOctokit(github.token, { baseUrl: github.apiUrl });
});

afterAll(async () => {
  await github.close();
});

/** A deployment of SHA to `environment`, bypassing commit checks as deploy tools do. */
async function deploy(environment: string, extra: Record<string, unknown> = {}) {
  const { data } = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: SHA,
    environment,
    required_contexts: [],
    auto_merge: false,
    ...extra,
  });
  if (!('id' in data)) throw new Error(`no deployment: ${JSON.stringify(data)}`);
  return data;
}

type State = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
function setStatus(deployment_id: number, state: State, extra: Record<string, unknown> = {}) {
  return octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id, state, ...extra });
}

async function states(id: number): Promise<string[]> {
  const { data } = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
  return data.map((s) => s.state);
}

describe('deployments', () => {
  it('creates a deployment with the fields GitHub echoes, and reads it back', async () => {
    const payload = { image: 'registry/app@sha256:abc', services: ['web'] };
    const created = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: SHA,
      environment: 'pr-7',
      payload,
      transient_environment: true,
      production_environment: false,
      description: 'ecs-ship preview',
      required_contexts: [],
      auto_merge: false,
    });
    expect(created.status).toBe(201);
    const d = created.data as { id: number };
    expect(created.data).toMatchObject({
      sha: SHA,
      ref: SHA,
      task: 'deploy',
      payload,
      environment: 'pr-7',
      original_environment: 'pr-7',
      description: 'ecs-ship preview',
      transient_environment: true,
      production_environment: false,
      creator: { login: 'github-actions[bot]', type: 'Bot' },
      url: `${github.apiUrl}/repos/org/app/deployments/${d.id}`,
      statuses_url: `${github.apiUrl}/repos/org/app/deployments/${d.id}/statuses`,
    });
    const read = await octokit.rest.repos.getDeployment({ ...repo, deployment_id: d.id });
    expect(read.data).toEqual(created.data);
  });

  it('keeps a string payload a string, and defaults environment to production', async () => {
    const d = await deploy('production', { payload: '{"digest":"sha256:1"}', environment: undefined });
    expect(d).toMatchObject({
      payload: '{"digest":"sha256:1"}',
      environment: 'production',
      production_environment: true,
    });
  });

  it('refuses a deployment while a context on the commit is not success, unless required_contexts is []', async () => {
    // The sandbox's own run has its job pending on GITHUB_SHA, as a running workflow has on GitHub.
    const ref = github.run.sha;
    const refused = octokit.rest.repos.createDeployment({ ...repo, ref, environment: 'staging' });
    await expect(refused).rejects.toMatchObject({
      status: 409,
      response: {
        data: {
          message: `Conflict: Commit status checks failed for ${ref}.`,
          errors: [
            {
              resource: 'Deployment',
              field: 'required_contexts',
              code: 'invalid',
              contexts: [{ context: 'deploy', state: 'pending' }],
            },
          ],
        },
      },
    });
    const ok = await octokit.rest.repos.createDeployment({
      ...repo,
      ref,
      environment: 'staging',
      required_contexts: [],
    });
    expect(ok.status).toBe(201);
  });

  it('resolves a branch to its commit and answers 422 for a ref that does not exist', async () => {
    github.setRef('release', 'b'.repeat(40));
    const d = await deploy('qa', { ref: 'release' });
    expect(d).toMatchObject({ ref: 'release', sha: 'b'.repeat(40) });
    await expect(deploy('qa', { ref: 'no-such-branch' })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('No ref found for: no-such-branch'),
    });
  });

  it('answers 422 without a ref, as the schema requires one', async () => {
    const missing = octokit.request('POST /repos/{owner}/{repo}/deployments', {
      ...repo,
      environment: 'x',
    } as never);
    await expect(missing).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Invalid request.\n\n"ref" wasn\'t supplied.' } },
    });
  });

  it('lists newest first, filtered by environment, sha, ref and task', async () => {
    const first = await deploy('filter-env');
    const second = await deploy('filter-env', { task: 'deploy:migrations' });
    await deploy('other-env');
    const list = async (q: Record<string, string>) =>
      (await octokit.rest.repos.listDeployments({ ...repo, ...q })).data.map((d) => d.id);
    expect(await list({ environment: 'filter-env' })).toEqual([second.id, first.id]);
    expect(await list({ environment: 'filter-env', task: 'deploy:migrations' })).toEqual([second.id]);
    expect(await list({ environment: 'filter-env', sha: 'f'.repeat(40) })).toEqual([]);
    expect(await list({ environment: 'filter-env', ref: SHA })).toEqual([second.id, first.id]);
  });

  it('pages with per_page and a Link header octokit follows across 3 pages', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await deploy('paged')).id);
    const page1 = await octokit.rest.repos.listDeployments({ ...repo, environment: 'paged', per_page: 2 });
    expect(page1.data.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    const base = `${github.apiUrl}/repos/org/app/deployments?environment=paged&per_page=2`;
    expect(page1.headers.link).toBe(`<${base}&page=2>; rel="next", <${base}&page=3>; rel="last"`);
    const page2 = await octokit.rest.repos.listDeployments({
      ...repo,
      environment: 'paged',
      per_page: 2,
      page: 2,
    });
    expect(page2.headers.link).toBe(
      `<${base}&page=1>; rel="prev", <${base}&page=3>; rel="next", <${base}&page=3>; rel="last", <${base}&page=1>; rel="first"`,
    );
    const all = await octokit.paginate(octokit.rest.repos.listDeployments, {
      ...repo,
      environment: 'paged',
      per_page: 2,
    });
    expect(all.map((d) => d.id)).toEqual([...ids].reverse());
    const pages = github.requests.filter(
      (r) => r.path === '/repos/org/app/deployments' && r.query.includes('paged'),
    );
    expect(pages.slice(-3).map((r) => new URLSearchParams(r.query).get('page'))).toEqual([null, '2', '3']);
  });

  it('answers 404 for a deployment that does not exist', async () => {
    await expect(octokit.rest.repos.getDeployment({ ...repo, deployment_id: 1 })).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found', status: '404' } },
    });
  });
});

describe('deployment statuses', () => {
  it('records in_progress then success with URLs, newest first; log_url also sets target_url', async () => {
    const d = await deploy('statuses');
    await setStatus(d.id, 'in_progress', { log_url: 'https://github.com/org/app/actions/runs/1' });
    const success = await setStatus(d.id, 'success', {
      environment_url: 'https://pr-7.preview.example.com',
      log_url: 'https://github.com/org/app/actions/runs/1',
      description: 'rolled out',
    });
    expect(success.status).toBe(201);
    expect(success.data).toMatchObject({
      state: 'success',
      environment: 'statuses',
      environment_url: 'https://pr-7.preview.example.com',
      log_url: 'https://github.com/org/app/actions/runs/1',
      target_url: 'https://github.com/org/app/actions/runs/1',
      description: 'rolled out',
      deployment_url: `${github.apiUrl}/repos/org/app/deployments/${d.id}`,
    });
    expect(await states(d.id)).toEqual(['success', 'in_progress']);
    const one = await octokit.rest.repos.getDeploymentStatus({
      ...repo,
      deployment_id: d.id,
      status_id: success.data.id,
    });
    expect(one.data).toEqual(success.data);
  });

  it('marks the earlier successful deployment of the environment inactive, unless auto_inactive is false', async () => {
    const old = await deploy('auto');
    const failed = await deploy('auto');
    const next = await deploy('auto');
    await setStatus(old.id, 'success');
    await setStatus(failed.id, 'failure');
    const elsewhere = await deploy('auto-other');
    await setStatus(elsewhere.id, 'success');

    await setStatus(next.id, 'success');
    expect(await states(old.id)).toEqual(['inactive', 'success']);
    expect(await states(failed.id)).toEqual(['failure']);
    expect(await states(elsewhere.id)).toEqual(['success']);

    const kept = await deploy('auto');
    await setStatus(kept.id, 'success', { auto_inactive: false });
    expect(await states(next.id)).toEqual(['success']);
  });

  it('moves the deployment to the environment a status names', async () => {
    const d = await deploy('before');
    await setStatus(d.id, 'queued', { environment: 'after' });
    const read = await octokit.rest.repos.getDeployment({ ...repo, deployment_id: d.id });
    expect(read.data).toMatchObject({ environment: 'after', original_environment: 'before' });
  });

  it('refuses an unknown state, a description over 140 characters and a URL that is not http(s)', async () => {
    const d = await deploy('bad-status');
    const post = (body: Record<string, unknown>) =>
      octokit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        ...repo,
        deployment_id: d.id,
        ...body,
      } as never);
    await expect(post({ state: 'done' })).rejects.toMatchObject({
      status: 422,
      response: {
        data: { message: expect.stringMatching(/^Invalid request.\n\nFor 'properties\/state', "done"/) },
      },
    });
    await expect(post({ state: 'failure', description: 'x'.repeat(141) })).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'DeploymentStatus', field: 'description', code: 'custom' }],
        },
      },
    });
    await expect(post({ state: 'success', environment_url: 'ftp://x' })).rejects.toMatchObject({
      status: 422,
      response: {
        data: { errors: [{ field: 'environment_url', message: 'environment_url must use http(s) scheme' }] },
      },
    });
    expect(await states(d.id)).toEqual([]);
  });
});

describe('deleting a deployment', () => {
  it('answers 422 while it is active, 204 once inactive, then 404', async () => {
    const d = await deploy('delete-me');
    await setStatus(d.id, 'success');
    await expect(octokit.rest.repos.deleteDeployment({ ...repo, deployment_id: d.id })).rejects.toMatchObject(
      {
        status: 422,
        message: expect.stringContaining('We cannot delete an active deployment'),
      },
    );
    await setStatus(d.id, 'inactive');
    const deleted = await octokit.rest.repos.deleteDeployment({ ...repo, deployment_id: d.id });
    expect(deleted.status).toBe(204);
    await expect(octokit.rest.repos.getDeployment({ ...repo, deployment_id: d.id })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('deletes the only deployment of a repository whatever its state', async () => {
    const alone = await startGitHubSandbox({ repository: 'solo/app' });
    try {
      const client = getOctokit(alone.token, { baseUrl: alone.apiUrl });
      const target = { owner: 'solo', repo: 'app' };
      const { data } = await client.rest.repos.createDeployment({
        ...target,
        ref: SHA,
        required_contexts: [],
      });
      const id = (data as { id: number }).id;
      await client.rest.repos.createDeploymentStatus({ ...target, deployment_id: id, state: 'success' });
      expect((await client.rest.repos.deleteDeployment({ ...target, deployment_id: id })).status).toBe(204);
      expect(alone.state.deployments()).toEqual([]);
    } finally {
      await alone.close();
    }
  });
});
