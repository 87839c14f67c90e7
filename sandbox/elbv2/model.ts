// Elastic Load Balancing v2 state of one region: Application Load Balancers, their listeners and rules, and
// target groups. Targets are not stored: they are the ECS sandbox's tasks of services that name a target
// group in `loadBalancers` (targets.ts), as ECS registers them on AWS.
import { randomBytes } from 'node:crypto';
import { ACCOUNT_ID } from '../ecs/model.js';

export interface ElbTag {
  Key: string;
  Value?: string;
}

/** An action as the wire carries it (`Type`, `TargetGroupArn`, `ForwardConfig`, `FixedResponseConfig`, `Order`). */
export type ElbAction = Record<string, unknown> & { Type: string };

/** A condition as the wire carries it (`Field`, `Values`, `HostHeaderConfig`, `PathPatternConfig`). */
export type ElbCondition = Record<string, unknown> & { Field: string };

export interface LoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  vpcId: string;
  scheme: 'internet-facing' | 'internal';
  subnets: string[];
  securityGroups: string[];
  createdAt: number;
  tags: ElbTag[];
}

export interface Listener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  certificateArn: string | undefined;
  defaultActions: ElbAction[];
  tags: ElbTag[];
}

export interface Rule {
  arn: string;
  listenerArn: string;
  /** 1 to 50000, unique per listener; the listener's default rule has none. */
  priority: number | 'default';
  conditions: ElbCondition[];
  actions: ElbAction[];
  tags: ElbTag[];
}

/** The settings CreateTargetGroup takes (what makes a second create with the same name the same group). */
export interface TargetGroupSettings {
  Protocol: string;
  Port: number;
  VpcId: string;
  ProtocolVersion: string;
  TargetType: string;
  IpAddressType: string;
  HealthCheckProtocol: string;
  HealthCheckPort: string;
  HealthCheckEnabled: boolean;
  HealthCheckPath: string;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  Matcher: { HttpCode: string };
}

export interface TargetGroup {
  arn: string;
  name: string;
  settings: TargetGroupSettings;
  createdAt: number;
  tags: ElbTag[];
}

export interface ElbState {
  region: string;
  loadBalancers: Map<string, LoadBalancer>;
  listeners: Map<string, Listener>;
  rules: Map<string, Rule>;
  targetGroups: Map<string, TargetGroup>;
}

export function newElbState(region: string): ElbState {
  return {
    region,
    loadBalancers: new Map(),
    listeners: new Map(),
    rules: new Map(),
    targetGroups: new Map(),
  };
}

const hexId = (): string => randomBytes(8).toString('hex');

function elbArn(region: string, resource: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${ACCOUNT_ID}:${resource}`;
}

/** `app/NAME/ID` of a load balancer ARN: listener and rule ARNs extend it. */
const lbPath = (lb: LoadBalancer): string => lb.arn.slice(lb.arn.indexOf(':loadbalancer/') + 14);

export function addLoadBalancer(
  state: ElbState,
  opts: { name: string; vpcId?: string; scheme?: LoadBalancer['scheme']; now: number },
): LoadBalancer {
  const id = hexId();
  const lb: LoadBalancer = {
    arn: elbArn(state.region, `loadbalancer/app/${opts.name}/${id}`),
    name: opts.name,
    dnsName: `${opts.name}-${parseInt(id.slice(0, 8), 16)}.${state.region}.elb.amazonaws.com`.toLowerCase(),
    vpcId: opts.vpcId ?? 'vpc-0sandbox',
    scheme: opts.scheme ?? 'internet-facing',
    subnets: ['subnet-0sandbox'],
    securityGroups: ['sg-0sandbox'],
    createdAt: opts.now,
    tags: [],
  };
  state.loadBalancers.set(lb.arn, lb);
  return lb;
}

/** A listener with its default rule (the rule every listener has, for its default actions). */
export function addListener(
  state: ElbState,
  lb: LoadBalancer,
  opts: { port: number; protocol: Listener['protocol']; defaultActions: ElbAction[] },
): Listener {
  const path = `${lbPath(lb)}/${hexId()}`;
  const listener: Listener = {
    arn: elbArn(state.region, `listener/${path}`),
    loadBalancerArn: lb.arn,
    port: opts.port,
    protocol: opts.protocol,
    certificateArn:
      opts.protocol === 'HTTPS'
        ? `arn:aws:acm:${state.region}:${ACCOUNT_ID}:certificate/${randomBytes(16).toString('hex')}`
        : undefined,
    defaultActions: opts.defaultActions,
    tags: [],
  };
  state.listeners.set(listener.arn, listener);
  addRule(state, listener, { priority: 'default', conditions: [], actions: opts.defaultActions, tags: [] });
  return listener;
}

export function addRule(state: ElbState, listener: Listener, rule: Omit<Rule, 'arn' | 'listenerArn'>): Rule {
  const path = listener.arn.slice(listener.arn.indexOf(':listener/') + 10);
  const created: Rule = {
    ...rule,
    arn: elbArn(state.region, `listener-rule/${path}/${hexId()}`),
    listenerArn: listener.arn,
  };
  state.rules.set(created.arn, created);
  return created;
}

export function addTargetGroup(
  state: ElbState,
  name: string,
  settings: TargetGroupSettings,
  tags: ElbTag[],
  now: number,
): TargetGroup {
  const tg: TargetGroup = {
    arn: elbArn(state.region, `targetgroup/${name}/${hexId()}`),
    name,
    settings,
    createdAt: now,
    tags,
  };
  state.targetGroups.set(tg.arn, tg);
  return tg;
}

/** Every target group an action forwards to (`TargetGroupArn`, or each of `ForwardConfig.TargetGroups`). */
export function forwardedTo(action: ElbAction): string[] {
  const arns = new Set<string>();
  if (typeof action.TargetGroupArn === 'string') arns.add(action.TargetGroupArn);
  const config = action.ForwardConfig as { TargetGroups?: { TargetGroupArn?: unknown }[] } | undefined;
  for (const t of config?.TargetGroups ?? [])
    if (typeof t.TargetGroupArn === 'string') arns.add(t.TargetGroupArn);
  return [...arns];
}

/** The load balancers whose listeners or rules forward to the target group (its `LoadBalancerArns`). */
export function loadBalancersOf(state: ElbState, targetGroupArn: string): string[] {
  const out = new Set<string>();
  for (const rule of state.rules.values()) {
    if (!rule.actions.some((a) => forwardedTo(a).includes(targetGroupArn))) continue;
    const listener = state.listeners.get(rule.listenerArn);
    if (listener) out.add(listener.loadBalancerArn);
  }
  return [...out];
}

export function rulesOf(state: ElbState, listenerArn: string): Rule[] {
  const rules = [...state.rules.values()].filter((r) => r.listenerArn === listenerArn);
  // By priority, the default rule last, as DescribeRules lists them.
  const order = (r: Rule) => (r.priority === 'default' ? Infinity : r.priority);
  return rules.sort((a, b) => order(a) - order(b));
}
