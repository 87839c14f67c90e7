import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import { registryDigest } from '../../sandbox/registry-api.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { createRepositories, sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { writeOciLayout } from './publish-helpers.js';

/** GitHub deployments (input `environment`) and promotion from one (`image: deployment:ENV`), as the runner runs the bundle. */

let environment: Environment & { github: GitHubSandbox };
let ecs: ECSClient;
let layout: string;
let digest: string;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 10, docker: false, github: true });
  ecs = sandboxEcs(environment.env);
  await createRepositories(environment.env, 'api');
  layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-gh-')), 'layout');
  digest = await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [20_000] }]);
  for (const service of ['api-staging', 'api-production', 'api-fork']) {
    await seedService(ecs, { service, desiredCount: 1 });
    await waitSteady(ecs, service);
  }
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

async function deploy(inputs: Record<string, string>, token = environment.github.token) {
  const event = await environment.github.pushEvent();
  const { main } = await runAction({
    inputs: { repository: 'api', 'poll-seconds': '0.5', 'github-token': token, ...inputs },
    env: event.envFor(environment.env),
    post: false,
  });
  return { main, sha: event.env.GITHUB_SHA ?? '' };
}

const runUrl = () => `${environment.github.serverUrl}/org/app/actions/runs/${environment.github.run.runId}`;

describe('a deploy with `environment`', () => {
  let main: Awaited<ReturnType<typeof deploy>>['main'];
  let sha: string;

  beforeAll(async () => {
    ({ main, sha } = await deploy({
      image: `oci-layout:${layout}:v1`,
      service: 'api-staging',
      environment: 'staging',
      'environment-url': 'https://staging.example.com/{service}/{sha}',
    }));
  }, 120_000);

  it('deploys', () => {
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('records a deployment of the commit whose payload names what went out', () => {
    const [d] = environment.github.state.deployments({ environment: 'staging' });
    const rollouts = JSON.parse(main.outputs.rollouts ?? '[]') as Array<{ serviceDeploymentArn: string }>;
    expect(d).toMatchObject({
      sha,
      environment: 'staging',
      payload: {
        imageUri: main.outputs['image-uri'],
        digest,
        taskDefinitionArn: main.outputs['task-definition-arn'],
        cluster: 'default',
        services: ['api-staging'],
        serviceDeployments: [rollouts[0]?.serviceDeploymentArn],
      },
    });
    expect(rollouts[0]?.serviceDeploymentArn).toMatch(/^arn:aws:ecs:.*service-deployment/);
  });

  it('gives it in_progress, then success, with the URL and the run', () => {
    const [d] = environment.github.state.deployments({ environment: 'staging' });
    const statuses = (d?.statuses ?? []) as Array<Record<string, unknown>>;
    expect(statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    for (const s of statuses) {
      expect(s).toMatchObject({
        environment_url: `https://staging.example.com/api-staging/${sha}`,
        log_url: runUrl(),
      });
    }
  });
});

describe('a token that cannot write (a fork)', () => {
  it('still deploys, with one warning, and records nothing', async () => {
    const before = environment.github.state.deployments().length;
    const { main } = await deploy(
      { image: `oci-layout:${layout}:v1`, service: 'api-fork', environment: 'fork' },
      environment.github.readOnlyToken,
    );
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const warnings = main.stdout.split('\n').filter((l) => l.startsWith('::warning::'));
    expect(warnings).toEqual([expect.stringMatching(/GitHub was not told.*403.*deployments: write/)]);
    expect(environment.github.state.deployments()).toHaveLength(before);
  }, 120_000);
});

describe('image: deployment:staging', () => {
  it('promotes exactly the digest the staging deployment recorded, without pushing', async () => {
    const { main } = await deploy({
      image: 'deployment:staging',
      tags: 'production',
      service: 'api-production',
      environment: 'production',
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['image-digest']).toBe(digest);
    expect(main.stdout).toContain('no bytes moved');
    expect(await registryDigest(environment.registry, 'api', 'production')).toBe(digest);
    const [d] = environment.github.state.deployments({ environment: 'production' });
    expect(d).toMatchObject({ payload: { digest, services: ['api-production'] } });
  }, 120_000);

  it('fails before any write when the environment has no successful deployment', async () => {
    const writes = environment.github.writes().length;
    const { main } = await deploy({
      image: 'deployment:nowhere',
      service: 'api-production',
      environment: 'production',
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      "::error::Input 'image' is 'deployment:nowhere': no successful deployment of environment 'nowhere' in org/app.",
    ]);
    expect(environment.github.writes()).toHaveLength(writes);
  }, 60_000);
});
