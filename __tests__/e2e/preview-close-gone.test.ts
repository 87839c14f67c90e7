import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteServiceCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeededLoadBalancer } from '../../sandbox/elbv2/seed.js';
import { registryDigest } from '../../sandbox/registry-api.js';
import { errorLines, type StepResult } from '../../sandbox/runner.js';
import { fargateTaskDefinition, taskDefinitionFile } from '../../sandbox/seed.js';
import { type PreviewEnvironment, runOnPullRequest, warnings, startWebBehindAlb } from './preview-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

/**
 * A pull request closed after its preview service was deleted by hand, for a task-definition file whose
 * family (`webapp`) is not the template service's (`web`): the close finds the preview's real family by the
 * tag on its revisions, not by guessing `web-pr-N`, and removes it with the images, rule and target group.
 */

let environment: PreviewEnvironment;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let alb: SeededLoadBalancer;
let layouts: { v1: string; v2: string };
let digests: { v1: string; v2: string };
let file: string;

const PR = 8;
const PREVIEW = `web-pr-${PR}`;
const FAMILY = `webapp-pr-${PR}`;
const HOST = `pr-${PR}.preview.example.com`;
const APP = [
  { name: 'app', image: 'public.ecr.aws/nginx/nginx:stable', portMappings: [{ containerPort: 80 }] },
];

beforeAll(async () => {
  ({ environment, ecs, elb, alb } = await startWebBehindAlb({
    listeners: [{ port: 443, protocol: 'HTTPS' }],
  }));
  const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-preview-gone-'));
  layouts = { v1: join(dir, 'v1'), v2: join(dir, 'v2') };
  const platform = [{ os: 'linux', architecture: 'amd64', layers: [20_000] }];
  digests = {
    v1: await writeOciLayout(layouts.v1, 'v1', platform),
    v2: await writeOciLayout(layouts.v2, 'v2', platform),
  };
  file = await taskDefinitionFile('webapp', { containerDefinitions: APP });
  // Another repository's preview of a pull request with the same number: not this one's to remove.
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      ...(fargateTaskDefinition(`other-pr-${PR}`, {
        containerDefinitions: APP,
      }) as unknown as RegisterTaskDefinitionCommandInput),
      tags: [{ key: 'ecs-ship:preview', value: `org/other/pull/${PR}` }],
    }),
  );
}, 60_000);

afterAll(async () => {
  elb?.destroy();
  await environment?.stop();
});

const run = (action: 'opened' | 'synchronize' | 'closed', layout: string, tag: string) =>
  runOnPullRequest(
    environment,
    { action, number: PR },
    {
      image: `oci-layout:${layout}:${tag}`,
      repository: 'web',
      service: 'web',
      'task-definition': file,
      'preview-delete-images': 'true',
      'preview-listener-arn': alb.listenerArn,
      'preview-host': 'pr-{number}.preview.example.com',
    },
  );

const ok = (main: StepResult) => ({
  code: main.code,
  errors: errorLines(main),
  warnings: warnings(main.stdout),
});
const statuses = (family: string) => environment.aws.state.taskDefinitions(family).map((td) => td.status);

async function groupExists(name: string): Promise<boolean> {
  try {
    return (
      ((await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups ?? []).length > 0
    );
  } catch {
    return false;
  }
}

describe('closed after the preview service was deleted by hand', () => {
  let closed: StepResult;

  beforeAll(async () => {
    expect(ok((await run('opened', layouts.v1, 'v1')).main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(ok((await run('synchronize', layouts.v2, 'v2')).main)).toEqual({
      code: 0,
      errors: [],
      warnings: [],
    });
    await ecs.send(new UpdateServiceCommand({ service: PREVIEW, desiredCount: 0 }));
    await ecs.send(new DeleteServiceCommand({ service: PREVIEW, force: true }));
    ({ main: closed } = await run('closed', layouts.v2, 'v2'));
  }, 240_000);

  it("tagged each of the preview's revisions with its pull request", async () => {
    const out = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${FAMILY}:1`, include: ['TAGS'] }),
    );
    expect(out.tags).toContainEqual({ key: 'ecs-ship:preview', value: `org/app/pull/${PR}` });
  });

  it('succeeds', () => {
    expect(ok(closed)).toEqual({ code: 0, errors: [], warnings: [] });
  });

  it("deregisters and deletes every revision of the preview's real family, and nothing else", () => {
    expect(statuses(FAMILY)).toEqual(['DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS']);
    expect(closed.stdout).toContain(`Removed 2 revision(s) of task definition family ${FAMILY}`);
    expect(statuses('web')).toEqual(['ACTIVE']);
    expect(statuses(`other-pr-${PR}`)).toEqual(['ACTIVE']);
  });

  it('deletes its images, its listener rule and its target group', async () => {
    expect(await registryDigest(environment.registry, 'web', digests.v1)).toBeNull();
    expect(await registryDigest(environment.registry, 'web', digests.v2)).toBeNull();
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: alb.listenerArn }))).Rules ?? [];
    expect(rules.some((r) => r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(HOST)))).toBe(
      false,
    );
    expect(await groupExists(PREVIEW)).toBe(false);
    const template = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [alb.targetGroupArn] }),
    );
    expect(template.TargetGroups).toHaveLength(1);
  });

  it('says removed in the one PR comment', () => {
    const comments = environment.github.state.comments(PR);
    expect(comments).toHaveLength(1);
    const body = String(comments[0]?.body);
    expect(body).toContain(`Preview \`${PREVIEW}\` removed`);
    expect(body).toContain(`2 revision(s) of task definition family ${FAMILY}`);
    expect(body).toContain('2 image(s) in web');
  });
});
