import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryDigest } from '../../sandbox/registry-api.js';
import { callsOf, errorLines, type StepResult } from '../../sandbox/runner.js';
import { createRepositories, sandboxEcs } from '../../sandbox/seed.js';
import {
  type PreviewEnvironment,
  runImage,
  runOnPullRequest,
  seedTemplate,
  startPreviewEnvironment,
  warnings,
} from './preview-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

/** A pull request's preview through its life (opened, synchronize, closed twice), as the runner runs the bundle. */

let environment: PreviewEnvironment;
let ecs: ECSClient;
let layouts: { v1: string; v2: string };
let digests: { v1: string; v2: string };
let templateArn: string;
/** What the `opened` run pushed, by digest. */
let firstImage: string;

const PR = 7;
const PREVIEW = `web-pr-${PR}`;
const URL = `https://pr-${PR}.preview.example.com`;

beforeAll(async () => {
  environment = await startPreviewEnvironment();
  ecs = sandboxEcs(environment.env);
  await createRepositories(environment.env, 'web');
  const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-preview-'));
  layouts = { v1: join(dir, 'v1'), v2: join(dir, 'v2') };
  const platform = [{ os: 'linux', architecture: 'amd64', layers: [20_000] }];
  digests = {
    v1: await writeOciLayout(layouts.v1, 'v1', platform),
    v2: await writeOciLayout(layouts.v2, 'v2', platform),
  };
  templateArn = await seedTemplate(ecs, 'web', {
    capacityProviderStrategy: [
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
    ],
    platformVersion: '1.4.0',
    propagateTags: 'SERVICE',
    enableExecuteCommand: true,
  });
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const inputs = (layout: string, tag: string) => ({
  image: `oci-layout:${layout}:${tag}`,
  repository: 'web',
  service: 'web',
  'preview-desired-count': '1',
  'preview-delete-images': 'true',
  'environment-url': 'https://pr-{number}.preview.example.com',
});

async function describe1(name: string): Promise<Service | undefined> {
  const out = await ecs.send(new DescribeServicesCommand({ services: [name], include: ['TAGS'] }));
  return out.services?.[0];
}

const runUrl = () => `${environment.github.serverUrl}/org/app/actions/runs/${environment.github.run.runId}`;
const comments = () => environment.github.state.comments(PR);
const statesOf = (d: Record<string, unknown> | undefined) =>
  ((d?.statuses ?? []) as Array<{ state: string }>).map((s) => s.state);

describe('opened', () => {
  let main: StepResult;
  let headSha: string;

  beforeAll(async () => {
    ({ main, headSha } = await runOnPullRequest(
      environment,
      { action: 'opened', number: PR },
      inputs(layouts.v1, 'v1'),
    ));
    firstImage = main.outputs['image-uri'] ?? '';
  }, 120_000);

  it('deploys the preview and rolls it out', () => {
    expect({ code: main.code, errors: errorLines(main), warnings: warnings(main.stdout) }).toEqual({
      code: 0,
      errors: [],
      warnings: [],
    });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('creates the preview service from the template', async () => {
    const preview = await describe1(PREVIEW);
    const template = await describe1('web');
    expect(preview).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      capacityProviderStrategy: template?.capacityProviderStrategy,
      platformVersion: '1.4.0',
      networkConfiguration: template?.networkConfiguration,
      deploymentConfiguration: template?.deploymentConfiguration,
      propagateTags: 'SERVICE',
      enableExecuteCommand: true,
      taskDefinition: main.outputs['task-definition-arn'],
    });
    expect(preview?.launchType).toBeUndefined();
    expect(preview?.tags).toEqual([
      { key: 'team', value: 'web' },
      { key: 'ecs-ship:preview', value: `org/app/pull/${PR}` },
    ]);
  });

  it('registers its own family, {family}-pr-{number}, and leaves the template alone', async () => {
    expect(main.outputs['task-definition-arn']).toMatch(new RegExp(`:task-definition/web-pr-${PR}:1$`));
    const template = await describe1('web');
    expect(template).toMatchObject({ taskDefinition: templateArn, desiredCount: 2 });
    expect(template?.deployments).toHaveLength(1);
    expect(environment.aws.state.taskDefinitions('web')).toHaveLength(1);
  });

  it('records a deployment: in_progress, then success with the URL and the run', () => {
    const all = environment.github.state.deployments({ environment: PREVIEW });
    expect(all).toHaveLength(1);
    const [d] = all;
    expect(d).toMatchObject({
      sha: headSha,
      transient_environment: true,
      production_environment: false,
      payload: {
        digest: digests.v1,
        services: [PREVIEW],
        taskDefinitionArn: main.outputs['task-definition-arn'],
      },
    });
    expect(statesOf(d)).toEqual(['success', 'in_progress']);
    for (const s of (d?.statuses ?? []) as Array<Record<string, unknown>>) {
      expect(s).toMatchObject({ environment_url: URL, log_url: runUrl() });
    }
  });

  it('writes one PR comment: status, URL, digest, revision, rollout time, run link', () => {
    const all = comments();
    expect(all).toHaveLength(1);
    const body = String(all[0]?.body);
    expect(body).toContain(`Preview \`${PREVIEW}\` is live`);
    expect(body).toContain(URL);
    expect(body).toContain(digests.v1);
    expect(body).toContain(`web-pr-${PR}:1`);
    expect(body).toMatch(/\| Rollout time \| \d+(\.\d+)? ?m?s/);
    expect(body).toContain(`](${runUrl()})`);
  });
});

const REVIEWER = 'ghp_reviewer0000000000000000000000000000';

async function reviewerRequest(method: string, path: string, body?: unknown): Promise<unknown> {
  environment.github.addToken(REVIEWER, { write: true, login: 'reviewer' });
  const res = await fetch(`${environment.github.apiUrl}/repos/org/app${path}`, {
    method,
    headers: { authorization: `token ${REVIEWER}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

async function reviewerComment(body: string, number = PR): Promise<{ id: number; body: string }> {
  return (await reviewerRequest('POST', `/issues/${number}/comments`, { body })) as {
    id: number;
    body: string;
  };
}

describe('synchronize', () => {
  let main: StepResult;
  let headSha: string;
  let commentId: unknown;

  let review: { id: number; body: string };

  beforeAll(async () => {
    commentId = comments()[0]?.id;
    // A reviewer quotes our comment, marker and all: that comment is theirs, and stays as they wrote it.
    review = await reviewerComment(`> ${String(comments()[0]?.body).split('\n').join('\n> ')}\n\nLooks good`);
    ({ main, headSha } = await runOnPullRequest(
      environment,
      { action: 'synchronize', number: PR },
      inputs(layouts.v2, 'v2'),
    ));
  }, 120_000);

  it('updates the same service to the new revision', async () => {
    expect({ code: main.code, errors: errorLines(main), warnings: warnings(main.stdout) }).toEqual({
      code: 0,
      errors: [],
      warnings: [],
    });
    expect(main.stdout).toContain(`Updated service ${PREVIEW} in cluster default`);
    expect(main.outputs['task-definition-arn']).toMatch(new RegExp(`:task-definition/web-pr-${PR}:2$`));
    const preview = await describe1(PREVIEW);
    expect(preview).toMatchObject({ taskDefinition: main.outputs['task-definition-arn'], desiredCount: 1 });
    expect(await describe1('web')).toMatchObject({ taskDefinition: templateArn, desiredCount: 2 });
  });

  it('records a second deployment, of the new head', () => {
    const [newest, first] = environment.github.state.deployments({ environment: PREVIEW });
    expect(environment.github.state.deployments({ environment: PREVIEW })).toHaveLength(2);
    expect(newest).toMatchObject({ sha: headSha, payload: { digest: digests.v2 } });
    expect(statesOf(newest)).toEqual(['success', 'in_progress']);
    expect(statesOf(first)[0]).toBe('inactive'); // GitHub retires the one it replaced
  });

  afterAll(async () => {
    await reviewerRequest('DELETE', `/issues/comments/${review.id}`);
  });

  it('edits the same comment: still one, now naming the new digest and revision', () => {
    const all = comments();
    expect(all.map((c) => c.id)).toEqual([commentId, review.id]);
    expect(all[1]?.body).toBe(review.body);
    const body = String(all[0]?.body);
    expect(body).toContain(digests.v2);
    expect(body).toContain(`web-pr-${PR}:2`);
    expect(body).toContain(headSha.slice(0, 12));
    expect(body).not.toContain(digests.v1);
  });
});

describe('closed', () => {
  let main: StepResult;
  let template: Service | undefined;

  beforeAll(async () => {
    // The PR merged and its first image went to the main service: that image must survive the cleanup.
    await runImage(ecs, 'web', firstImage);
    template = await describe1('web');
    ({ main } = await runOnPullRequest(
      environment,
      { action: 'closed', number: PR, merged: true },
      inputs(layouts.v2, 'v2'),
    ));
  }, 120_000);

  it('succeeds', () => {
    expect({ code: main.code, errors: errorLines(main), warnings: warnings(main.stdout) }).toEqual({
      code: 0,
      errors: [],
      warnings: [],
    });
  });

  it('scales the service to 0 and deletes it', async () => {
    const ops = callsOf(main, environment.aws.requests)
      .map((r) => r.operation)
      .filter((op) => ['UpdateService', 'DeleteService'].includes(op));
    expect(ops).toEqual(['UpdateService', 'DeleteService']);
    const gone = await describe1(PREVIEW);
    expect(gone).toMatchObject({ desiredCount: 0 });
    expect(gone?.status).not.toBe('ACTIVE');
  });

  it("deregisters and deletes the preview's family, and only it", () => {
    const family = environment.aws.state.taskDefinitions(PREVIEW);
    expect(family.map((td) => td.status)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS']);
    expect(environment.aws.state.taskDefinitions('web').map((td) => td.status)).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it("deletes the preview's images, but not one the main service runs", async () => {
    expect(await registryDigest(environment.registry, 'web', digests.v2)).toBeNull();
    expect(await registryDigest(environment.registry, 'web', digests.v1)).toBe(digests.v1);
    expect(main.stdout).toContain(`Kept image ${digests.v1} in web: a service of the cluster runs it`);
  });

  it('marks every deployment inactive and says removed in the one comment', () => {
    const all = environment.github.state.deployments({ environment: PREVIEW });
    expect(all.map((d) => statesOf(d)[0])).toEqual(['inactive', 'inactive']);
    expect(comments()).toHaveLength(1);
    const body = String(comments()[0]?.body);
    expect(body).toContain(`Preview \`${PREVIEW}\` removed`);
    expect(body).toContain(`service ${PREVIEW}`);
    expect(body).toContain('1 image(s) in web');
  });

  it('says the same in the job summary', () => {
    expect(main.summary).toContain(`### Preview \`${PREVIEW}\` removed`);
    expect(main.summary).toContain(`- service ${PREVIEW} (scaled to 0 and deleted)`);
    expect(main.summary).toContain('- 2 revision(s) of task definition family web-pr-7');
  });

  it('leaves the template as it was', async () => {
    expect(await describe1('web')).toEqual(template);
  });

  it('closed again: a success that says nothing was left', async () => {
    const again = (
      await runOnPullRequest(environment, { action: 'closed', number: PR }, inputs(layouts.v2, 'v2'))
    ).main;
    expect({ code: again.code, errors: errorLines(again), warnings: warnings(again.stdout) }).toEqual({
      code: 0,
      errors: [],
      warnings: [],
    });
    expect(again.stdout).toContain(`Nothing was left of preview ${PREVIEW}`);
    expect(comments()).toHaveLength(1);
    expect(String(comments()[0]?.body)).toContain('Nothing was left to remove.');
    expect(again.summary).toContain('Nothing was left to remove.');
  }, 120_000);
});

describe('closing a pull request that never had a preview', () => {
  it('is a success that says nothing was left, touches nothing, and never reads the image', async () => {
    // Opened without a preview job; someone wrote about previews there, naming our marker mid-comment.
    await environment.github.pullRequestEvent({ action: 'opened', number: 99 });
    const note = await reviewerComment(
      'Why no preview? I see `<!-- ecs-ship:preview web-pr-99 -->` in the docs',
      99,
    );
    const before = environment.aws.requests.length;
    const { main } = await runOnPullRequest(
      environment,
      { action: 'closed', number: 99 },
      // As the README's workflow has it: on `closed` nothing is built, and the image is not read.
      { ...inputs(layouts.v1, 'v1'), image: 'my-app:never-built' },
    );
    expect({ code: main.code, errors: errorLines(main), warnings: warnings(main.stdout) }).toEqual({
      code: 0,
      errors: [],
      warnings: [],
    });
    expect(main.stdout).toContain('Nothing was left of preview web-pr-99');
    const writes = environment.aws.requests
      .slice(before)
      .filter((r) => !/^(Describe|List|Get)/.test(r.operation));
    expect(writes).toEqual([]);
    expect(environment.aws.state.taskDefinitions('web').map((td) => td.status)).toEqual(['ACTIVE', 'ACTIVE']);
    // Our comment is our own: the reviewer's stays as written.
    const [theirs, ours] = environment.github.state.comments(99);
    expect(theirs).toMatchObject({ id: note.id, body: note.body });
    expect(String(ours?.body)).toContain('Nothing was left to remove.');
  }, 120_000);
});
