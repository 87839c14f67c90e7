import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AddTagsCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { addRule } from '../../sandbox/elbv2/model.js';
import { seedLoadBalancer, type SeededLoadBalancer } from '../../sandbox/elbv2/seed.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';
import { checkAgainstModels } from '../../sandbox/model-check.js';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { seedService, waitSteady } from '../../sandbox/seed.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { eventually } from './helpers.js';

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let elb: ElasticLoadBalancingV2Client;
let ecs: ECSClient;
let seeded: SeededLoadBalancer;

beforeAll(async () => {
  registry = await startRegistry();
  sandbox = await startAwsSandbox({ registry, timeScale: 50 });
  const config = { region: 'us-east-1', endpoint: sandbox.endpoint, credentials: SANDBOX_USER };
  elb = new ElasticLoadBalancingV2Client(config);
  ecs = new ECSClient(config);
  seeded = seedLoadBalancer(sandbox, {
    listeners: [
      { port: 443, protocol: 'HTTPS' },
      { port: 80, protocol: 'HTTP' },
    ],
  });
}, 30_000);

afterAll(async () => {
  elb?.destroy();
  ecs?.destroy();
  await sandbox?.close();
  await registry?.stop();
});

const errorName = async (p: Promise<unknown>) =>
  p.then(
    () => 'none',
    (e: unknown) => (e as Error).name,
  );

const tgInput = (name: string) => ({
  Name: name,
  Protocol: 'HTTP' as const,
  Port: 80,
  VpcId: 'vpc-0sandbox',
  TargetType: 'ip' as const,
  HealthCheckPath: '/health',
});

describe('ELBv2 sandbox over the real SDK', () => {
  it('describes the seeded load balancer, its listeners and default rule', async () => {
    const lbs = await elb.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [seeded.loadBalancerArn] }),
    );
    expect(lbs.LoadBalancers?.[0]).toMatchObject({ DNSName: seeded.dnsName, Type: 'application' });
    const listeners = await elb.send(
      new DescribeListenersCommand({ LoadBalancerArn: seeded.loadBalancerArn }),
    );
    expect(listeners.Listeners?.map((l) => `${l.Protocol}:${l.Port}`)).toEqual(['HTTPS:443', 'HTTP:80']);
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: seeded.listenerArn }));
    expect(rules.Rules).toEqual([
      expect.objectContaining({ IsDefault: true, Priority: 'default', Conditions: [] }),
    ]);
    expect(
      await errorName(elb.send(new DescribeListenersCommand({ ListenerArns: [`${seeded.listenerArn}0`] }))),
    ).toBe('ListenerNotFoundException');
  });

  it('creates target groups (same settings again = the same group; other settings = DuplicateTargetGroupName)', async () => {
    const first = await elb.send(
      new CreateTargetGroupCommand({ ...tgInput('pr-1'), Tags: [{ Key: 'k', Value: 'v' }] }),
    );
    const again = await elb.send(new CreateTargetGroupCommand(tgInput('pr-1')));
    expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(first.TargetGroups?.[0]?.TargetGroupArn);
    expect(first.TargetGroups?.[0]).toMatchObject({ TargetType: 'ip', HealthCheckPath: '/health', Port: 80 });
    expect(await errorName(elb.send(new CreateTargetGroupCommand({ ...tgInput('pr-1'), Port: 8080 })))).toBe(
      'DuplicateTargetGroupNameException',
    );
    const byName = await elb.send(new DescribeTargetGroupsCommand({ Names: ['pr-1'] }));
    expect(byName.TargetGroups).toHaveLength(1);
    expect(await errorName(elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })))).toBe(
      'TargetGroupNotFoundException',
    );
    const tags = await elb.send(
      new DescribeTagsCommand({ ResourceArns: [first.TargetGroups?.[0]?.TargetGroupArn ?? ''] }),
    );
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
  });

  it('keeps rule priorities unique per listener, with host-header conditions and forward actions', async () => {
    const tg =
      (await elb.send(new CreateTargetGroupCommand(tgInput('pr-2')))).TargetGroups?.[0]?.TargetGroupArn ?? '';
    const rule = (priority: number) =>
      new CreateRuleCommand({
        ListenerArn: seeded.listenerArn,
        Priority: priority,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['pr-2.example.com'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: tg }],
        Tags: [{ Key: 'ecs-ship:preview', Value: 'org/app/pull/2' }],
      });
    const created = (await elb.send(rule(1))).Rules?.[0];
    expect(created).toMatchObject({
      Priority: '1',
      IsDefault: false,
      Conditions: [{ Field: 'host-header', Values: ['pr-2.example.com'] }],
      Actions: [{ Type: 'forward', TargetGroupArn: tg }],
    });
    expect(await errorName(elb.send(rule(1)))).toBe('PriorityInUseException');
    expect(await errorName(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg })))).toBe(
      'ResourceInUseException',
    );
    const groups = await elb.send(
      new DescribeTargetGroupsCommand({ LoadBalancerArn: seeded.loadBalancerArn }),
    );
    expect(groups.TargetGroups?.map((g) => g.TargetGroupArn)).toContain(tg);
    await elb.send(
      new AddTagsCommand({ ResourceArns: [created?.RuleArn ?? ''], Tags: [{ Key: 'x', Value: 'y' }] }),
    );
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [created?.RuleArn ?? ''] }));
    expect(tags.TagDescriptions?.[0]?.Tags?.map((t) => t.Key)).toEqual(['ecs-ship:preview', 'x']);
    await elb.send(new DeleteRuleCommand({ RuleArn: created?.RuleArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg }));
    expect(await errorName(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg] })))).toBe(
      'TargetGroupNotFoundException',
    );
  });

  it("registers a service's running tasks as targets, healthy once ECS counts them healthy", async () => {
    await seedService(ecs, {
      service: 'web',
      desiredCount: 2,
      loadBalancers: [{ targetGroupArn: seeded.targetGroupArn, containerName: 'web', containerPort: 80 }],
    });
    await waitSteady(ecs, 'web');
    const targets = await eventually(async () => {
      const health = await elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: seeded.targetGroupArn }),
      );
      const all = health.TargetHealthDescriptions ?? [];
      return all.length === 2 && all.every((d) => d.TargetHealth?.State === 'healthy') ? all : undefined;
    });
    expect(targets.map((t) => t.Target?.Port)).toEqual([80, 80]);
    expect(targets[0]?.Target?.Id).toMatch(/^10\.0\.\d+\.\d+$/);
    // In use by the listener (default action) and by the service.
    expect(
      await errorName(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: seeded.targetGroupArn }))),
    ).toBe('ResourceInUseException');
    await ecs.send(new DeleteServiceCommand({ service: 'web', force: true }));
    const states = (
      await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: seeded.targetGroupArn }))
    ).TargetHealthDescriptions;
    expect(states?.every((d) => d.TargetHealth?.State === 'draining')).toBe(true);
    await eventually(async () => {
      const health = await elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: seeded.targetGroupArn }),
      );
      return health.TargetHealthDescriptions?.length === 0 ? true : undefined;
    });
  });

  it('ECS refuses a service whose target group is behind no load balancer, or is not ip for awsvpc', async () => {
    const loose = (await elb.send(new CreateTargetGroupCommand(tgInput('loose')))).TargetGroups?.[0];
    const instance = (
      await elb.send(new CreateTargetGroupCommand({ ...tgInput('by-instance'), TargetType: 'instance' }))
    ).TargetGroups?.[0];
    const state = sandbox.state.elbv2();
    const listener = state.listeners.get(seeded.listenerArn);
    if (!listener || !instance?.TargetGroupArn) throw new Error('seed missing');
    addRule(state, listener, {
      priority: 40,
      conditions: [{ Field: 'host-header', Values: ['i.example.com'] }],
      actions: [{ Type: 'forward', TargetGroupArn: instance.TargetGroupArn }],
      tags: [],
    });
    const seedWith = (targetGroupArn: string) =>
      seedService(ecs, {
        service: `bad-${targetGroupArn.slice(-4)}`,
        loadBalancers: [
          { targetGroupArn, containerName: `bad-${targetGroupArn.slice(-4)}`, containerPort: 80 },
        ],
      }).then(
        () => 'created',
        (e: unknown) => (e as Error).message,
      );
    expect(await seedWith(loose?.TargetGroupArn ?? '')).toMatch(/does not have an associated load balancer/);
    expect(await seedWith(instance.TargetGroupArn)).toMatch(
      /target type instance, which is incompatible with the awsvpc/,
    );
  });

  it('UpdateService moves a rolling-update service behind a target group, in a new deployment', async () => {
    await seedService(ecs, { service: 'late', desiredCount: 1 });
    await waitSteady(ecs, 'late');
    const loose = (await elb.send(new CreateTargetGroupCommand(tgInput('loose-late')))).TargetGroups?.[0];
    const attach = (targetGroupArn: string) =>
      ecs.send(
        new UpdateServiceCommand({
          service: 'late',
          loadBalancers: [{ targetGroupArn, containerName: 'late', containerPort: 80 }],
        }),
      );
    // Checked as on create: a group no load balancer uses is refused, and nothing changes.
    await expect(attach(loose?.TargetGroupArn ?? '')).rejects.toThrow(
      /does not have an associated load balancer/,
    );
    const before = (await ecs.send(new DescribeServicesCommand({ services: ['late'] }))).services?.[0];
    expect(before?.loadBalancers).toEqual([]);
    const out = await attach(seeded.targetGroupArn);
    const lb = { targetGroupArn: seeded.targetGroupArn, containerName: 'late', containerPort: 80 };
    expect(out.service?.loadBalancers).toEqual([lb]);
    expect(out.service?.deployments?.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    await waitSteady(ecs, 'late');
    const healthy = await eventually(async () => {
      const health = await elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: seeded.targetGroupArn }),
      );
      const all = health.TargetHealthDescriptions ?? [];
      return all.length === 1 && all[0]?.TargetHealth?.State === 'healthy' ? all : undefined;
    });
    expect(healthy).toHaveLength(1);
    await ecs.send(new DeleteServiceCommand({ service: 'late', force: true }));
  });

  it('answers within the ELBv2 model (botocore)', async () => {
    expect(await checkAgainstModels(sandbox.answers)).toEqual([]);
    expect(sandbox.answers.some((a) => a.service === 'elbv2')).toBe(true);
  });
});
