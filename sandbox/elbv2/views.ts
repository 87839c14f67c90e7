// ELBv2's answers as the wire carries them (Query protocol: the member names of the 2015-12-01 model).
import type {
  ElbAction,
  ElbCondition,
  ElbState,
  Listener,
  LoadBalancer,
  Rule,
  TargetGroup,
} from './model.js';
import { forwardedTo, loadBalancersOf } from './model.js';

export function loadBalancerView(lb: LoadBalancer) {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: lb.subnets.map((SubnetId, i) => ({
      ZoneName: `us-east-1${'abcdef'[i % 6]}`,
      SubnetId,
    })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: 'ipv4',
  };
}

/** A forward action as AWS shows it: the target group both as `TargetGroupArn` and in `ForwardConfig`. */
function actionView(action: ElbAction) {
  if (action.Type !== 'forward') return action;
  const groups = forwardedTo(action);
  return {
    Type: 'forward',
    ...(groups.length === 1 ? { TargetGroupArn: groups[0] } : {}),
    ...(action.Order === undefined ? {} : { Order: Number(action.Order) }),
    ForwardConfig: {
      TargetGroups: groups.map((TargetGroupArn) => ({ TargetGroupArn, Weight: 1 })),
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

export function listenerView(listener: Listener) {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    ...(listener.certificateArn
      ? {
          Certificates: [{ CertificateArn: listener.certificateArn }],
          SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        }
      : {}),
    DefaultActions: listener.defaultActions.map(actionView),
  };
}

/** Conditions as AWS echoes them: `Values` and the field's own config, whichever was sent. */
function conditionView(condition: ElbCondition) {
  const config = condition.Field === 'host-header' ? 'HostHeaderConfig' : 'PathPatternConfig';
  const values = (condition[config] as { Values?: string[] } | undefined)?.Values ?? condition.Values;
  return { Field: condition.Field, Values: values, [config]: { Values: values } };
}

export function ruleView(rule: Rule) {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions.map(conditionView),
    Actions: rule.actions.map(actionView),
    IsDefault: rule.priority === 'default',
  };
}

export function targetGroupView(state: ElbState, tg: TargetGroup) {
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    ...tg.settings,
    LoadBalancerArns: loadBalancersOf(state, tg.arn),
  };
}
