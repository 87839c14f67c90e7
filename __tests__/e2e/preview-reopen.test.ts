import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * A pull request reopened right after it was closed: the deleted preview service is still DRAINING (its
 * tasks stopping), and ECS refuses to create a service of that name until it is gone.
 */

let environment: PreviewEnvironment;
let ecs: ECSClient;
let layout: string;
const PR = 12;

beforeAll(async () => {
  // Tasks take 4 real seconds to stop, so the closed preview is still DRAINING when the reopen starts.
  environment = await startPreviewEnvironment({ durations: { stopping: 40 } });
  ecs = sandboxEcs(environment.env);
  await createRepositories(environment.env, 'shop');
  layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-preview-')), 'layout');
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [20_000] }]);
  await seedTemplate(ecs, 'shop', { launchType: 'FARGATE' });
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const inputs = () => ({ image: `oci-layout:${layout}:v1`, repository: 'shop', service: 'shop' });
const clean = (main: Awaited<ReturnType<typeof runOnPullRequest>>['main']) => ({
  code: main.code,
  errors: errorLines(main),
  warnings: warnings(main.stdout),
});

describe('reopened right after closed', () => {
  it('waits for the old service to drain, then creates the preview again', async () => {
    const opened = await runOnPullRequest(environment, { action: 'opened', number: PR }, inputs());
    expect(clean(opened.main)).toEqual({ code: 0, errors: [], warnings: [] });
    const closed = await runOnPullRequest(environment, { action: 'closed', number: PR }, inputs());
    expect(clean(closed.main)).toEqual({ code: 0, errors: [], warnings: [] });
    const draining = await ecs.send(new DescribeServicesCommand({ services: [`shop-pr-${PR}`] }));
    expect(draining.services?.[0]?.status).toBe('DRAINING');

    const reopened = await runOnPullRequest(environment, { action: 'reopened', number: PR }, inputs());
    expect(clean(reopened.main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(reopened.main.stdout).toContain(`Service shop-pr-${PR} is still DRAINING`);
    expect(reopened.main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const now = await ecs.send(new DescribeServicesCommand({ services: [`shop-pr-${PR}`] }));
    expect(now.services?.[0]).toMatchObject({ status: 'ACTIVE', desiredCount: 1 });

    const comments = environment.github.state.comments(PR);
    expect(comments).toHaveLength(1);
    expect(String(comments[0]?.body)).toContain('is live');
    const deployments = environment.github.state.deployments({ environment: `shop-pr-${PR}` });
    expect(deployments).toHaveLength(2);
    expect((deployments[0]?.statuses as Array<{ state: string }>)[0]?.state).toBe('success');
  }, 180_000);
});
