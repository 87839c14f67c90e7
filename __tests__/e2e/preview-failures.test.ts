import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubError } from '../../sandbox/github/http.js';
import { errorLines } from '../../sandbox/runner.js';
import { createRepositories, sandboxEcs } from '../../sandbox/seed.js';
import {
  type PreviewEnvironment,
  runOnPullRequest,
  seedTemplate,
  startPreviewEnvironment,
  warnings,
} from './preview-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

/** Previews that do not go well: a rollout that fails, and a token that may not write (a fork's PR). */

let environment: PreviewEnvironment;
let ecs: ECSClient;
let layout: string;

beforeAll(async () => {
  environment = await startPreviewEnvironment({ timeScale: 20 });
  ecs = sandboxEcs(environment.env);
  await createRepositories(environment.env, 'api');
  layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-preview-')), 'layout');
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [20_000] }]);
  await seedTemplate(ecs, 'api', { launchType: 'FARGATE' });
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const inputs = () => ({ image: `oci-layout:${layout}:v1`, repository: 'api', service: 'api' });

describe('a preview whose tasks crash', () => {
  const PR = 8;
  let main: Awaited<ReturnType<typeof runOnPullRequest>>['main'];

  beforeAll(async () => {
    ({ main } = await runOnPullRequest(
      environment,
      { action: 'opened', number: PR },
      { ...inputs(), command: 'sh -c "exit 3"', 'timeout-minutes': '5' },
    ));
  }, 180_000);

  it('fails the step with the reason', () => {
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      expect.stringMatching(/^::error::Rollout FAILED: .*essential container 'app' exited with code 3/),
    ]);
  });

  it('was created with the launch type of its template', async () => {
    const out = await ecs.send(new DescribeServicesCommand({ services: [`api-pr-${PR}`] }));
    expect(out.services?.[0]).toMatchObject({ launchType: 'FARGATE', desiredCount: 1 });
  });

  it('gives the deployment failure, naming the reason', () => {
    const [d] = environment.github.state.deployments({ environment: `api-pr-${PR}` });
    const statuses = (d?.statuses ?? []) as Array<{ state: string; description: string }>;
    expect(statuses.map((s) => s.state)).toEqual(['failure', 'in_progress']);
    expect(statuses[0]?.description).toMatch(/^Rollout FAILED: .*exited with code 3/);
  });

  it('says failed in the one comment, with the reason', () => {
    const all = environment.github.state.comments(PR);
    expect(all).toHaveLength(1);
    const body = String(all[0]?.body);
    expect(body).toContain(`Preview \`api-pr-${PR}\` failed`);
    expect(body).toMatch(/\| Reason \| Rollout FAILED: .*exited with code 3/);
    expect(body).toContain('Essential container in task exited');
  });
});

describe("a fork's pull request (a token that may not write)", () => {
  const PR = 9;

  it('still deploys the preview; the deployment and the comment are a warning each', async () => {
    const before = environment.github.writes().filter((w) => w.status < 400).length;
    const { main } = await runOnPullRequest(
      environment,
      { action: 'opened', number: PR, fork: true },
      inputs(),
    );
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(warnings(main.stdout)).toEqual([
      expect.stringMatching(/^::warning::GitHub was not told about this deploy: .*403.*deployments: write/),
      expect.stringMatching(/^::warning::GitHub was not told about this deploy: .*403.*pull-requests: write/),
    ]);
    expect(environment.github.writes().filter((w) => w.status < 400)).toHaveLength(before);
    expect(environment.github.state.comments(PR)).toEqual([]);
  }, 120_000);

  it('still removes it on close, with a warning for the comment', async () => {
    const { main } = await runOnPullRequest(
      environment,
      { action: 'closed', number: PR, fork: true },
      inputs(),
    );
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(warnings(main.stdout)).toEqual([
      expect.stringMatching(/^::warning::GitHub was not told.*pull-requests/),
    ]);
    expect(main.stdout).toContain(`Removed service api-pr-${PR}`);
    const out = await ecs.send(new DescribeServicesCommand({ services: [`api-pr-${PR}`] }));
    expect(out.services?.[0]?.status).not.toBe('ACTIVE');
  }, 120_000);
});

describe('a token with deployments: write but no pull-requests permission', () => {
  const PR = 13;

  it('finishes the deployment; only the comment is a warning', async () => {
    const token = 'ghs_deploymentsonly000000000000000000000';
    environment.github.addToken(token, {
      write: true,
      permissions: { deployments: 'write', issues: 'none', pull_requests: 'none' },
    });
    const { main } = await runOnPullRequest(environment, { action: 'opened', number: PR }, inputs(), token);
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(warnings(main.stdout)).toEqual([
      expect.stringMatching(/^::warning::GitHub was not told about this deploy: .*403.*pull-requests: write/),
    ]);
    const [d] = environment.github.state.deployments({ environment: `api-pr-${PR}` });
    expect((d?.statuses as Array<{ state: string }>).map((s) => s.state)).toEqual(['success', 'in_progress']);
    expect(environment.github.state.comments(PR)).toEqual([]);
  }, 120_000);
});

describe('a new preview with a one-off task (run-task)', () => {
  const PR = 10;

  it("runs it where the preview will run (the template's network), then creates the preview", async () => {
    const { main } = await runOnPullRequest(
      environment,
      { action: 'opened', number: PR },
      { ...inputs(), 'run-task': '["sh", "-c", "exit 0"]' },
    );
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['run-task-exit-code']).toBe('0');
    expect(main.stdout).toContain('(launch type FARGATE)');
    const out = await ecs.send(new DescribeServicesCommand({ services: [`api-pr-${PR}`] }));
    expect(out.services?.[0]).toMatchObject({ status: 'ACTIVE', runningCount: 1 });
  }, 120_000);
});

describe('GitHub answering 502 once', () => {
  const PR = 11;

  it('is asked again: the deployment, its statuses and the comment are all there', async () => {
    let failed = 0;
    environment.github.intercept = (entry) =>
      entry.method === 'POST' && /\/deployments$/.test(entry.path) && failed++ === 0
        ? new GitHubError(502, 'Server Error')
        : undefined;
    try {
      const { main } = await runOnPullRequest(environment, { action: 'opened', number: PR }, inputs());
      expect({ code: main.code, errors: errorLines(main), warnings: warnings(main.stdout) }).toEqual({
        code: 0,
        errors: [],
        warnings: [],
      });
    } finally {
      environment.github.intercept = undefined;
    }
    expect(failed).toBeGreaterThan(1);
    const [d] = environment.github.state.deployments({ environment: `api-pr-${PR}` });
    expect((d?.statuses as Array<{ state: string }>).map((s) => s.state)).toEqual(['success', 'in_progress']);
    expect(environment.github.state.comments(PR)).toHaveLength(1);
  }, 120_000);
});
