import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeededLoadBalancer } from '../../sandbox/elbv2/seed.js';
import { callsOf, errorLines, type StepResult } from '../../sandbox/runner.js';

import { type PreviewEnvironment, runOnPullRequest, warnings, startWebBehindAlb } from './preview-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

/**
 * A preview made before `preview-listener-arn` was set, then pushed to with it set: ecs-ship creates its
 * target group and host-header rule and moves the running service behind them (UpdateService
 * `loadBalancers`), watches that rollout, and gives GitHub the preview's URL.
 */

let environment: PreviewEnvironment;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let alb: SeededLoadBalancer;
let image: string;

const PR = 51;
const PREVIEW = `web-pr-${PR}`;
const HOST = `pr-${PR}.preview.example.com`;

beforeAll(async () => {
  ({ environment, ecs, elb, alb } = await startWebBehindAlb({
    listeners: [{ port: 443, protocol: 'HTTPS' }],
    targetGroup: { Port: 8080, HealthCheckPath: '/healthz' },
  }));
  const layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-preview-attach-')), 'layout');
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [20_000] }]);
  image = `oci-layout:${layout}:v1`;
}, 60_000);

afterAll(async () => {
  elb?.destroy();
  await environment?.stop();
});

const withListener = {
  image: '', // set per run
  repository: 'web',
  service: 'web',
  'preview-listener-arn': '',
  'preview-host': 'pr-{number}.preview.example.com',
};

const push = (action: 'opened' | 'synchronize' | 'closed') =>
  runOnPullRequest(
    environment,
    { action, number: PR },
    { ...withListener, image, 'preview-listener-arn': alb.listenerArn },
  );

const ok = (main: StepResult) => ({
  code: main.code,
  errors: errorLines(main),
  warnings: warnings(main.stdout),
});

async function ruleFor(host: string): Promise<Rule | undefined> {
  const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: alb.listenerArn }))).Rules ?? [];
  return rules.find((r) => r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(host)));
}

async function group(name: string): Promise<TargetGroup | undefined> {
  try {
    return (await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups?.[0];
  } catch {
    return undefined;
  }
}

const previewService = async () =>
  (await ecs.send(new DescribeServicesCommand({ services: [PREVIEW] }))).services?.[0];

describe('a preview made without the load balancer, then pushed to with preview-listener-arn', () => {
  let sync: StepResult;
  const updates: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const first = await runOnPullRequest(
      environment,
      { action: 'opened', number: PR },
      { image, repository: 'web', service: 'web' },
    );
    expect(ok(first.main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect((await previewService())?.loadBalancers).toEqual([]);
    // What UpdateService was sent, as ECS received it.
    environment.aws.intercept = (ctx) => {
      if (ctx.operation === 'UpdateService') updates.push({ ...ctx.body });
      return undefined;
    };
    try {
      ({ main: sync } = await push('synchronize'));
    } finally {
      environment.aws.intercept = undefined;
    }
  }, 180_000);

  it('deploys, watching the rollout onto the load balancer to its end', () => {
    expect(ok(sync)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(sync.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(sync.stdout).toContain(
      `Preview ${PREVIEW} is not behind target group ${PREVIEW} (made before preview-listener-arn was set): this deploy creates it and attaches the service`,
    );
    expect(sync.stdout).toMatch(
      new RegExp(
        `Updated service ${PREVIEW} in cluster default.*, behind target group ${PREVIEW}: deployment`,
      ),
    );
  });

  it('creates the target group and a host-header rule forwarding to it', async () => {
    const tg = await group(PREVIEW);
    expect(tg).toMatchObject({ Port: 8080, HealthCheckPath: '/healthz', TargetType: 'ip' });
    expect(await ruleFor(HOST)).toMatchObject({
      Conditions: [{ Field: 'host-header', Values: [HOST] }],
      Actions: [{ Type: 'forward', TargetGroupArn: tg?.TargetGroupArn }],
    });
  });

  it("moves the service behind it with UpdateService's loadBalancers; its tasks are healthy there", async () => {
    const tg = await group(PREVIEW);
    const lb = { targetGroupArn: tg?.TargetGroupArn, containerName: 'app', containerPort: 80 };
    expect(updates.map((u) => u.loadBalancers)).toEqual([[lb]]);
    expect((await previewService())?.loadBalancers).toEqual([lb]);
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn }));
    const states = health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State) ?? [];
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(['healthy']));
  });

  it('gives the deployment and the PR comment the preview URL', () => {
    const [newest] = environment.github.state.deployments({ environment: PREVIEW });
    const statuses = (newest?.statuses ?? []) as Array<Record<string, unknown>>;
    expect(statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    for (const s of statuses) expect(s.environment_url).toBe(`https://${HOST}`);
    const comments = environment.github.state.comments(PR);
    expect(comments).toHaveLength(1);
    expect(String(comments[0]?.body)).toContain(`https://${HOST}`);
  });

  it('pushed again: already attached, so no second rule or target group and no load balancer change', async () => {
    const before = { rule: (await ruleFor(HOST))?.RuleArn, tg: (await group(PREVIEW))?.TargetGroupArn };
    const { main } = await push('synchronize');
    expect(ok(main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(main.stdout).not.toContain('attaches the service');
    expect({ rule: (await ruleFor(HOST))?.RuleArn, tg: (await group(PREVIEW))?.TargetGroupArn }).toEqual(
      before,
    );
    const elbWrites = callsOf(main, environment.aws.requests).filter((r) => r.service === 'elbv2' && r.write);
    expect(elbWrites).toEqual([]);
  }, 120_000);

  it('closed: the rule and the target group it was given are removed', async () => {
    const { main } = await push('closed');
    expect(ok(main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(await ruleFor(HOST)).toBeUndefined();
    expect(await group(PREVIEW)).toBeUndefined();
  }, 120_000);
});
