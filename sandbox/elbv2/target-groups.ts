// Target groups: create (idempotent for the same settings, as on AWS), delete (not while a rule, a listener or
// an ECS service uses one), describe, and the health of their targets (targets.ts).
import type { EcsState } from '../ecs/model.js';
import { AwsError } from '../http.js';
import { stringParam } from '../query.js';
import {
  addTargetGroup,
  forwardedTo,
  loadBalancersOf,
  type ElbState,
  type TargetGroupSettings,
} from './model.js';
import { integer, missing, page, strings, tagsOf, validation, type Params } from './params.js';
import { servicesUsing, targetHealth } from './targets.js';
import { targetGroupView } from './views.js';

const TG_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

function settingsOf(params: Params): TargetGroupSettings {
  const protocol = stringParam(params, 'Protocol');
  const port = integer(params, 'Port');
  const vpcId = stringParam(params, 'VpcId');
  const targetType = stringParam(params, 'TargetType') ?? 'instance';
  if (!protocol || port === undefined || !vpcId)
    throw validation(`A protocol, port and VPC ID are required for a target group of type '${targetType}'`);
  if (!['HTTP', 'HTTPS'].includes(protocol))
    throw validation(`Protocol '${protocol}' is not an Application Load Balancer target group protocol`);
  if (port < 1 || port > 65535) throw validation(`Port '${port}' must be between 1 and 65535`);
  if (!['instance', 'ip'].includes(targetType))
    throw validation(`Target type '${targetType}' is not supported here`);
  const matcher = params.Matcher as Params | undefined;
  return {
    Protocol: protocol,
    Port: port,
    VpcId: vpcId,
    ProtocolVersion: stringParam(params, 'ProtocolVersion') ?? 'HTTP1',
    TargetType: targetType,
    IpAddressType: stringParam(params, 'IpAddressType') ?? 'ipv4',
    HealthCheckProtocol: stringParam(params, 'HealthCheckProtocol') ?? protocol,
    HealthCheckPort: stringParam(params, 'HealthCheckPort') ?? 'traffic-port',
    HealthCheckEnabled: stringParam(params, 'HealthCheckEnabled') !== 'false',
    HealthCheckPath: stringParam(params, 'HealthCheckPath') ?? '/',
    HealthCheckIntervalSeconds: integer(params, 'HealthCheckIntervalSeconds') ?? 30,
    HealthCheckTimeoutSeconds: integer(params, 'HealthCheckTimeoutSeconds') ?? 5,
    HealthyThresholdCount: integer(params, 'HealthyThresholdCount') ?? 5,
    UnhealthyThresholdCount: integer(params, 'UnhealthyThresholdCount') ?? 2,
    Matcher: { HttpCode: (matcher && stringParam(matcher, 'HttpCode')) ?? '200' },
  };
}

export function createTargetGroup(state: ElbState, params: Params, now: number) {
  const name = stringParam(params, 'Name') ?? '';
  if (!TG_NAME.test(name) || name.startsWith('internal-'))
    throw validation(
      `Target group name '${name}' can have a maximum of 32 characters, must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    );
  const settings = settingsOf(params);
  const existing = [...state.targetGroups.values()].find((tg) => tg.name === name);
  if (existing) {
    // AWS: creating the same target group again succeeds and answers the one that exists.
    if (JSON.stringify(existing.settings) === JSON.stringify(settings))
      return { TargetGroups: [targetGroupView(state, existing)] };
    throw new AwsError(
      'DuplicateTargetGroupName',
      `A target group with the same name '${name}' exists, but with different settings`,
    );
  }
  const tg = addTargetGroup(state, name, settings, tagsOf(params), now);
  return { TargetGroups: [targetGroupView(state, tg)] };
}

export function deleteTargetGroup(state: ElbState, ecs: EcsState, params: Params) {
  const arn = stringParam(params, 'TargetGroupArn') ?? '';
  // Deleting one that is gone succeeds, as on AWS.
  if (!state.targetGroups.has(arn)) return {};
  const inRule = [...state.rules.values()].some((r) => r.actions.some((a) => forwardedTo(a).includes(arn)));
  if (inRule || servicesUsing(ecs, arn).length > 0)
    throw new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  state.targetGroups.delete(arn);
  return {};
}

export function describeTargetGroups(state: ElbState, params: Params) {
  const lbArn = stringParam(params, 'LoadBalancerArn');
  const arns = strings(params, 'TargetGroupArns');
  const names = strings(params, 'Names');
  let groups = [...state.targetGroups.values()];
  if (lbArn) {
    if (!state.loadBalancers.has(lbArn)) missing('LoadBalancerNotFound', 'load balancers');
    groups = groups.filter((g) => loadBalancersOf(state, g.arn).includes(lbArn));
  }
  if (arns)
    groups = arns.map((a) => state.targetGroups.get(a) ?? missing('TargetGroupNotFound', 'target groups'));
  if (names) {
    groups = names.map(
      (n) => groups.find((g) => g.name === n) ?? missing('TargetGroupNotFound', 'target groups'),
    );
  }
  return page(
    groups.map((g) => targetGroupView(state, g)),
    params,
    'TargetGroups',
  );
}

export function describeTargetHealth(state: ElbState, ecs: EcsState, params: Params, now: number) {
  const tg = state.targetGroups.get(stringParam(params, 'TargetGroupArn') ?? '');
  if (!tg) missing('TargetGroupNotFound', 'target groups');
  return { TargetHealthDescriptions: targetHealth(ecs, tg.arn, tg.settings.HealthCheckPort, now) };
}
