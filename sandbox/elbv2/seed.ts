// An Application Load Balancer as a team has it before adopting previews: one load balancer, a target group
// for the main service, and listeners whose default action forwards to it. Made in the sandbox's state
// (the action never creates load balancers or listeners, so the sandbox has no API for that).
import type { AwsSandbox } from '../server.js';
import { addListener, addLoadBalancer, addTargetGroup, type TargetGroupSettings } from './model.js';

export interface SeededLoadBalancer {
  loadBalancerArn: string;
  dnsName: string;
  /** The first listener's ARN (HTTPS:443 by default): where preview rules go. */
  listenerArn: string;
  listenerArns: string[];
  /** The main service's target group (target type ip, HTTP:80): name it in the service's loadBalancers. */
  targetGroupArn: string;
}

export function seedLoadBalancer(
  aws: AwsSandbox,
  opts: {
    name?: string;
    region?: string;
    listeners?: { port: number; protocol: 'HTTP' | 'HTTPS' }[];
    targetGroup?: Partial<TargetGroupSettings> & { name?: string };
  } = {},
): SeededLoadBalancer {
  const state = aws.state.elbv2(opts.region ?? 'us-east-1');
  const name = opts.name ?? 'web';
  const now = Date.now();
  const lb = addLoadBalancer(state, { name, now });
  const { name: tgName, ...overrides } = opts.targetGroup ?? {};
  const settings: TargetGroupSettings = {
    Protocol: 'HTTP',
    Port: 80,
    VpcId: lb.vpcId,
    ProtocolVersion: 'HTTP1',
    TargetType: 'ip',
    IpAddressType: 'ipv4',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckPath: '/health',
    HealthCheckIntervalSeconds: 15,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 3,
    Matcher: { HttpCode: '200-299' },
    ...overrides,
  };
  const tg = addTargetGroup(state, tgName ?? `${name}-main`, settings, [], now);
  const forward = [{ Type: 'forward', TargetGroupArn: tg.arn }];
  const listeners = (opts.listeners ?? [{ port: 443, protocol: 'HTTPS' }]).map((l) =>
    addListener(state, lb, { ...l, defaultActions: forward }),
  );
  return {
    loadBalancerArn: lb.arn,
    dnsName: lb.dnsName,
    listenerArn: listeners[0]?.arn ?? '',
    listenerArns: listeners.map((l) => l.arn),
    targetGroupArn: tg.arn,
  };
}
