import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { registryDigest } from '../../sandbox/registry-api.js';
import { errorLines, lastCallAt, runAction, type StepResult } from '../../sandbox/runner.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  taskDefinitionFile,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 10, docker: true });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(environment.env, 'billing', 'orders', 'shop');
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/**
 * All a person or a later step could see. `::add-mask::` lines are the masking request itself: the runner
 * consumes them and never shows them, so they are left out here (and checked separately).
 */
function everything(result: StepResult, outputsFile: string): string {
  const shown = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
  return [shown(result.stdout), shown(result.stderr), result.summary, outputsFile].join('\n');
}

describe('a deploy from a local image to a verified rollout', () => {
  let main: StepResult;
  let post: StepResult | undefined;
  let outputsFile: string;
  let since: Date;

  beforeAll(async () => {
    await seedService(ecs, { service: 'shop', desiredCount: 2 });
    await waitSteady(ecs, 'shop');
    await buildTinyImage(environment.env, 'shop-app:build-1');
    since = new Date();
    ({ main, post } = await runAction({
      inputs: {
        image: 'shop-app:build-1',
        repository: 'shop',
        tags: 'v1\nrelease-2026',
        service: 'shop',
        'poll-seconds': '0.5',
      },
      env: environment.env,
    }));
    outputsFile = await readFile(join(main.workDir, 'output'), 'utf8');
  }, 120_000);

  it('succeeds and says so', () => {
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('runs on node 24, as action.yml declares: so its AWS calls say', () => {
    const ours = environment.aws.requests.filter((r) => r.at >= since);
    expect(ours.length).toBeGreaterThan(3);
    const runtimes = new Set(ours.map((r) => /\bmd\/nodejs#(\S+)/.exec(r.userAgent)?.[1] ?? r.userAgent));
    expect([...runtimes]).toEqual([expect.stringMatching(/^24\./)]);
  });

  it('pushes every tag, each pointing at the digest it reports', async () => {
    const digest = main.outputs['image-digest'];
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(environment.registry, 'shop', 'v1')).toBe(digest);
    expect(await registryDigest(environment.registry, 'shop', 'release-2026')).toBe(digest);
    expect(main.outputs['image-uri']).toBe(`${environment.registry.host}/shop@${digest}`);
  });

  it('registers a task definition that references the image by digest', async () => {
    const arn = main.outputs['task-definition-arn'] ?? '';
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(taskDefinition?.containerDefinitions?.map((c) => c.image)).toEqual([main.outputs['image-uri']]);
    // What the seed had and the action did not address survives, empty values included.
    expect(taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([{ name: 'GREETING', value: '' }]);
    const rendered = JSON.parse(await readFile(main.outputs['task-definition'] ?? '', 'utf8'));
    expect(rendered.containerDefinitions[0].image).toBe(main.outputs['image-uri']);
    expect(rendered.taskDefinitionArn).toBeUndefined();
  });

  it('leaves the service running the new revision as its only deployment', async () => {
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'default', services: ['shop'] }),
    );
    const deployments = services?.[0]?.deployments ?? [];
    expect(deployments.map((d) => [d.status, d.taskDefinition, d.runningCount])).toEqual([
      ['PRIMARY', main.outputs['task-definition-arn'], 2],
    ]);
    expect(main.outputs['deployment-id']).toBe(deployments[0]?.id);
  });

  it('writes a job summary with the digest, revision and verdict', () => {
    expect(main.summary).toContain(main.outputs['image-digest'] ?? 'digest');
    expect(main.summary).toContain('SUCCESSFUL');
    expect(main.summary).toContain('shop');
  });

  it('prints the rollout as it moves', () => {
    expect(main.stdout).toMatch(/has started 2 tasks/);
    expect(main.stdout).toMatch(/running 2\/2/);
  });

  it('logs out of the registry in the post step', async () => {
    expect(post?.code).toBe(0);
    const config = JSON.parse(
      await readFile(join(environment.env.DOCKER_CONFIG ?? '', 'config.json'), 'utf8'),
    );
    expect(Object.keys(config.auths ?? {})).not.toContain(environment.registry.host);
    expect(post?.stdout).toContain(environment.registry.host);
  });

  it('masks the ECR password before anything else and never shows it', () => {
    const { password } = environment.registry;
    const token = Buffer.from(`AWS:${password}`).toString('base64');
    const lines = main.stdout.split('\n');
    const firstMention = lines.findIndex((line) => line.includes(password));
    expect(lines[firstMention]).toBe(`::add-mask::${password}`);
    for (const secret of [password, token]) {
      expect(everything(main, outputsFile)).not.toContain(secret);
      expect(`${post?.stdout}${post?.stderr}`).not.toContain(secret);
    }
  });
});

describe('a rollout whose image cannot be pulled', () => {
  it('fails within 15 sandbox seconds of the first stopped task, with ECS reason', async () => {
    await seedService(ecs, { service: 'billing', desiredCount: 2 });
    await waitSteady(ecs, 'billing');
    await buildTinyImage(environment.env, 'billing-app:build-1');
    const taskDefinition = await taskDefinitionFile('billing', {
      containerDefinitions: [
        { name: 'app', image: 'placeholder', essential: true },
        { name: 'agent', image: `${environment.registry.host}/never-pushed:v1`, essential: true },
      ],
    });
    const { main } = await runAction({
      inputs: {
        image: 'billing-app:build-1',
        repository: 'billing',
        tags: 'v1',
        service: 'billing',
        'task-definition': taskDefinition,
        containers: 'app',
        'poll-seconds': '0.5',
        // The failure itself is under test here; rollback has its own tests (failures.test.ts).
        rollback: 'false',
      },
      env: environment.env,
    });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      /::error::.*container 'agent' could not pull its image: CannotPullContainerError.*never-pushed:v1/,
    );
    expect(main.outputs['rollout-state']).toBe('FAILED');

    const stopped = environment.aws.state
      .tasksOf('billing')
      .filter((t) => t.taskDefinitionArn === main.outputs['task-definition-arn'] && t.stoppedAt);
    const firstStop = Math.min(...stopped.map((t) => (t.stoppedAt as Date).getTime()));
    const decided = lastCallAt(main, environment.aws.requests);
    const sandboxSeconds = ((decided - firstStop) / 1000) * environment.aws.timeScale;
    expect(sandboxSeconds).toBeLessThanOrEqual(15);
  }, 120_000);
});

describe('a local image named after the registry it goes to', () => {
  it('is pushed from the local daemon, not copied from the registry', async () => {
    // `docker build -t <registry>/app:sha .` is the common workflow: the name reads like a registry reference,
    // but the image exists only locally until ecs-ship pushes it.
    await seedService(ecs, { service: 'orders', desiredCount: 1 });
    await waitSteady(ecs, 'orders');
    const local = `${environment.registry.host}/orders:build-7`;
    await buildTinyImage(environment.env, local);
    const { main } = await runAction({
      inputs: {
        image: local,
        repository: 'orders',
        tags: 'build-7',
        service: 'orders',
        'poll-seconds': '0.5',
      },
      env: environment.env,
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.stdout).toContain(`Pushing ${local}`);
    expect(await registryDigest(environment.registry, 'orders', 'build-7')).toBe(
      main.outputs['image-digest'],
    );
  }, 120_000);
});
