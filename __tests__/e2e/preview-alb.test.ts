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
import { addRule } from '../../sandbox/elbv2/model.js';
import { seedLoadBalancer, type SeededLoadBalancer } from '../../sandbox/elbv2/seed.js';
import { callsOf, errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { seedService, waitSteady } from '../../sandbox/seed.js';
import {
  type PreviewEnvironment,
  runOnPullRequest,
  seedTemplate,
  warnings,
  startWebBehindAlb,
} from './preview-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

/**
 * Previews behind an Application Load Balancer (preview-listener-arn, preview-host), and a plain deploy's
 * environment URL taken from its load balancer, as the runner runs the bundle against the sandbox's ELBv2.
 */

let environment: PreviewEnvironment;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let layout: string;
let alb: SeededLoadBalancer;

const HOST = (n: number) => `pr-${n}.preview.example.com`;

beforeAll(async () => {
  ({ environment, ecs, elb, alb } = await startWebBehindAlb(
    {
      listeners: [
        { port: 443, protocol: 'HTTPS' },
        { port: 80, protocol: 'HTTP' },
      ],
      targetGroup: { Port: 8080, HealthCheckPath: '/healthz', HealthCheckIntervalSeconds: 10 },
    },
    ['web', 'shop'],
  ));
  layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-preview-alb-')), 'layout');
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [20_000] }]);
}, 60_000);

afterAll(async () => {
  elb?.destroy();
  await environment?.stop();
});

const previewInputs = {
  image: '', // set per run
  repository: 'web',
  service: 'web',
  'preview-listener-arn': '',
  'preview-host': 'pr-{number}.preview.example.com',
};

const open = (number: number, action: 'opened' | 'closed' = 'opened') =>
  runOnPullRequest(
    environment,
    { action, number },
    { ...previewInputs, image: `oci-layout:${layout}:v1`, 'preview-listener-arn': alb.listenerArn },
  );

async function rules(): Promise<Rule[]> {
  return (await elb.send(new DescribeRulesCommand({ ListenerArn: alb.listenerArn }))).Rules ?? [];
}

const ruleFor = async (host: string) =>
  (await rules()).find((r) => r.Conditions?.some((c) => c.HostHeaderConfig?.Values?.includes(host)));

async function group(name: string): Promise<TargetGroup | undefined> {
  try {
    return (await elb.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups?.[0];
  } catch {
    return undefined;
  }
}

const ok = (main: StepResult) => ({
  code: main.code,
  errors: errorLines(main),
  warnings: warnings(main.stdout),
});

describe('a preview behind the load balancer', () => {
  let main: StepResult;

  beforeAll(async () => {
    ({ main } = await open(21));
  }, 120_000);

  it('deploys', () => {
    expect(ok(main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it("creates a target group with the template's settings, and a host-header rule forwarding to it", async () => {
    const tg = await group('web-pr-21');
    const template = (
      await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [alb.targetGroupArn] }))
    ).TargetGroups?.[0];
    const { TargetGroupArn: _a, TargetGroupName: _n, LoadBalancerArns: _l, ...settings } = template ?? {};
    expect(tg).toMatchObject({ ...settings, Port: 8080, HealthCheckPath: '/healthz', TargetType: 'ip' });
    expect(tg?.LoadBalancerArns).toEqual([alb.loadBalancerArn]);
    const rule = await ruleFor(HOST(21));
    expect(rule).toMatchObject({
      Priority: '1',
      Conditions: [{ Field: 'host-header', Values: [HOST(21)] }],
      Actions: [{ Type: 'forward', TargetGroupArn: tg?.TargetGroupArn }],
    });
  });

  it('attaches the target group to the preview service, whose tasks are healthy in it', async () => {
    const tg = await group('web-pr-21');
    const out = await ecs.send(new DescribeServicesCommand({ services: ['web-pr-21'] }));
    expect(out.services?.[0]?.loadBalancers).toEqual([
      { targetGroupArn: tg?.TargetGroupArn, containerName: 'app', containerPort: 80 },
    ]);
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn }));
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy']);
  });

  it('gives the deployment the preview host as its URL', () => {
    const [d] = environment.github.state.deployments({ environment: 'web-pr-21' });
    const statuses = (d?.statuses ?? []) as Array<Record<string, unknown>>;
    expect(statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    for (const s of statuses) expect(s.environment_url).toBe(`https://${HOST(21)}`);
  });

  it('opened again: the same rule and target group, nothing new', async () => {
    const before = {
      rule: (await ruleFor(HOST(21)))?.RuleArn,
      tg: (await group('web-pr-21'))?.TargetGroupArn,
    };
    const again = await open(21);
    expect(ok(again.main)).toEqual({ code: 0, errors: [], warnings: [] });
    expect({
      rule: (await ruleFor(HOST(21)))?.RuleArn,
      tg: (await group('web-pr-21'))?.TargetGroupArn,
    }).toEqual(before);
    expect((await rules()).filter((r) => !r.IsDefault)).toHaveLength(1);
  }, 120_000);

  it('closed: the rule and the target group are gone; the template keeps its own', async () => {
    const { main: closed } = await open(21, 'closed');
    expect(ok(closed)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(closed.stdout).toContain('Removed listener rule at priority 1');
    expect(closed.stdout).toContain('Removed target group web-pr-21');
    expect(await ruleFor(HOST(21))).toBeUndefined();
    expect(await group('web-pr-21')).toBeUndefined();
    expect((await rules()).map((r) => r.IsDefault)).toEqual([true]);
    const template = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [alb.targetGroupArn] }),
    );
    expect(template.TargetGroups).toHaveLength(1);
  }, 120_000);

  it('closed again: a success with no rule or target group to remove', async () => {
    const { main: again } = await open(21, 'closed');
    expect(ok(again)).toEqual({ code: 0, errors: [], warnings: [] });
    expect(again.stdout).not.toMatch(/Removed (listener rule|target group)/);
    expect(callsOf(again, environment.aws.requests).filter((r) => r.service === 'elbv2' && r.write)).toEqual(
      [],
    );
  }, 120_000);
});

describe('two pull requests opened at once', () => {
  let runs: StepResult[];

  beforeAll(async () => {
    // Two action processes at the same time, each reading the free priorities and taking one.
    runs = (await Promise.all([open(31), open(32)])).map((r) => r.main);
  }, 180_000);

  it('both deploy', () => {
    for (const main of runs) expect(ok(main)).toEqual({ code: 0, errors: [], warnings: [] });
  });

  it('get different rule priorities, each forwarding its own host to its own target group', async () => {
    const a = await ruleFor(HOST(31));
    const b = await ruleFor(HOST(32));
    expect(a?.Priority).toBeDefined();
    expect(b?.Priority).toBeDefined();
    expect(a?.Priority).not.toBe(b?.Priority);
    expect([a?.Priority, b?.Priority].sort()).toEqual(['1', '2']);
    expect(a?.Actions?.[0]?.TargetGroupArn).toBe((await group('web-pr-31'))?.TargetGroupArn);
    expect(b?.Actions?.[0]?.TargetGroupArn).toBe((await group('web-pr-32'))?.TargetGroupArn);
  });
});

describe('a priority taken between the read and the write', () => {
  it('is refused with PriorityInUse; the action reads again and takes the next free one', async () => {
    const state = environment.aws.state.elbv2();
    const listener = state.listeners.get(alb.listenerArn);
    const other = (await group('web-pr-31'))?.TargetGroupArn ?? '';
    let stolen: number | undefined;
    // Another writer takes exactly the priority the action asks for, just before its CreateRule lands.
    environment.aws.intercept = (ctx) => {
      if (ctx.operation !== 'CreateRule' || stolen !== undefined || !listener) return undefined;
      stolen = Number(ctx.body.Priority);
      const forward = [{ Type: 'forward', TargetGroupArn: other }];
      addRule(state, listener, {
        priority: stolen,
        conditions: [{ Field: 'host-header', Values: ['x.example.com'] }],
        actions: forward,
        tags: [],
      });
      return undefined;
    };
    try {
      const { main } = await open(33);
      expect(ok(main)).toEqual({ code: 0, errors: [], warnings: [] });
      expect(main.stdout).toContain(`Priority ${stolen} was taken meanwhile; trying the next free one`);
    } finally {
      environment.aws.intercept = undefined;
    }
    const refused = environment.aws.answers.filter((a) => a.operation === 'CreateRule' && !a.ok);
    expect(refused).toContainEqual({
      service: 'elbv2',
      operation: 'CreateRule',
      ok: false,
      code: 'PriorityInUse',
    });
    expect((await ruleFor(HOST(33)))?.Priority).toBe(String((stolen ?? 0) + 1));
  }, 120_000);
});

describe('mistakes, found before any write', () => {
  const writesOf = (main: StepResult) =>
    callsOf(main, environment.aws.requests)
      .filter((r) => r.write)
      .map((r) => `${r.service}:${r.operation}`);

  it('a listener that does not exist: one line naming preview-listener-arn, nothing created', async () => {
    const missing = alb.listenerArn.replace(/\/[0-9a-f]+$/, '/0000000000000000');
    const { main } = await runOnPullRequest(
      environment,
      { action: 'opened', number: 41 },
      { ...previewInputs, image: `oci-layout:${layout}:v1`, 'preview-listener-arn': missing },
    );
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      `::error::Input 'preview-listener-arn' is '${missing}': no such listener (ListenerNotFound).`,
    ]);
    expect(writesOf(main)).toEqual([]);
  }, 120_000);

  it('a host longer than ELBv2 takes: one line naming preview-host, nothing created', async () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.pr-{number}.example.com`;
    const { main } = await runOnPullRequest(
      environment,
      { action: 'opened', number: 43 },
      {
        ...previewInputs,
        image: `oci-layout:${layout}:v1`,
        'preview-listener-arn': alb.listenerArn,
        'preview-host': long,
      },
    );
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::Input 'preview-host' is 'a+.*': expected a host name of at most 128 characters/,
    );
    expect(writesOf(main)).toEqual([]);
  }, 120_000);

  it('a template service with no target group: one line naming it, nothing created', async () => {
    await seedTemplate(ecs, 'plain', {});
    const { main } = await runOnPullRequest(
      environment,
      { action: 'opened', number: 42 },
      {
        ...previewInputs,
        service: 'plain',
        image: `oci-layout:${layout}:v1`,
        'preview-listener-arn': alb.listenerArn,
      },
    );
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      "::error::Input 'preview-listener-arn' is set, but service 'plain' has no load balancer target group (loadBalancers with targetGroupArn, containerName, containerPort) for the preview to copy.",
    ]);
    expect(writesOf(main)).toEqual([]);
  }, 120_000);
});

describe('a plain deploy with `environment` and no `environment-url`', () => {
  let main: StepResult;
  let shop: SeededLoadBalancer;

  beforeAll(async () => {
    shop = seedLoadBalancer(environment.aws, { name: 'shop' });
    await seedService(ecs, {
      service: 'shop',
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn: shop.targetGroupArn, containerName: 'shop', containerPort: 80 }],
    });
    await waitSteady(ecs, 'shop');
    const event = await environment.github.pushEvent();
    ({ main } = await runAction({
      inputs: {
        image: `oci-layout:${layout}:v1`,
        repository: 'shop',
        service: 'shop',
        environment: 'production',
        'poll-seconds': '0.5',
        'github-token': environment.github.token,
      },
      env: event.envFor(environment.env),
      post: false,
    }));
  }, 120_000);

  it("takes the URL from the service's load balancer (https: it has a 443 listener)", () => {
    expect(ok(main)).toEqual({ code: 0, errors: [], warnings: [] });
    const [d] = environment.github.state.deployments({ environment: 'production' });
    const statuses = (d?.statuses ?? []) as Array<Record<string, unknown>>;
    expect(statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    for (const s of statuses) expect(s.environment_url).toBe(`https://${shop.dnsName}`);
  });
});
