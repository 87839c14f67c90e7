// The ELBv2 side of a preview's ALB that opening and closing share: how a refused call is told, and the reads
// that find what the preview owns (its target group by name, its rule on the listener, the owner tag).
import {
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  paginateDescribeRules,
  type ElasticLoadBalancingV2Client,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { accessDenied, classifyAwsError, describeAwsError, isNamed } from '../aws/errors.js';
import { allPages } from '../aws/pages.js';
import { UserError } from '../errors.js';
import { forwardsTo, hasOwnerTag } from './alb-rules.js';

/** The refusals the preview ALB code decides on itself (a missing group, a taken priority, a group in use). */
const HANDLED = [
  'TargetGroupNotFoundException',
  'ListenerNotFoundException',
  'PriorityInUseException',
  'ResourceInUseException',
];

/**
 * A denied ELBv2 call as one line naming the IAM action; any other refusal (a host ELBv2 will not take, a
 * quota) as one line saying what was being done; transient errors and the handled ones as they came.
 */
export async function elbCall<T>(doing: string, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const kind = classifyAwsError(err);
    if (kind === 'denied') throw accessDenied(doing, `elasticloadbalancing:${action}`, err);
    if (kind === 'fatal' && !HANDLED.some((name) => isNamed(err, name)))
      throw new UserError(`ELBv2 refused ${doing}: ${describeAwsError(err)}`);
    throw err;
  }
}

export function listenerRules(elb: ElasticLoadBalancingV2Client, listenerArn: string): Promise<Rule[]> {
  return elbCall('reading the listener rules', 'DescribeRules', () =>
    allPages(paginateDescribeRules({ client: elb }, { ListenerArn: listenerArn }), (page) => page.Rules),
  );
}

export async function targetGroupNamed(
  elb: ElasticLoadBalancingV2Client,
  name: string,
): Promise<TargetGroup | undefined> {
  try {
    const out = await elbCall(`reading target group ${name}`, 'DescribeTargetGroups', () =>
      elb.send(new DescribeTargetGroupsCommand({ Names: [name] })),
    );
    return out.TargetGroups?.[0];
  } catch (err) {
    if (isNamed(err, 'TargetGroupNotFoundException')) return undefined;
    throw err;
  }
}

export async function isOwned(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
  owner: string,
): Promise<boolean> {
  const out = await elbCall('reading tags', 'DescribeTags', () =>
    elb.send(new DescribeTagsCommand({ ResourceArns: [arn] })),
  );
  return hasOwnerTag(out.TagDescriptions?.[0]?.Tags, owner);
}

/** The preview's rule: one forwarding to its target group and tagged as its own. */
export async function ownRule(
  elb: ElasticLoadBalancingV2Client,
  rules: Rule[],
  targetGroupArn: string,
  owner: string,
): Promise<Rule | undefined> {
  for (const rule of rules.filter((r) => !r.IsDefault && forwardsTo(r, targetGroupArn)))
    if (rule.RuleArn && (await isOwned(elb, rule.RuleArn, owner))) return rule;
  return undefined;
}
