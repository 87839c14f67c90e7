// Pure decisions for a preview behind an Application Load Balancer: the target group's name and settings
// (copied from the template service's), the free rule priority, which rule is the preview's, and the URL a
// load balancer's listeners give a plain deploy.
import { createHash } from 'node:crypto';
import { targetGroupNameOf } from '../aws/arn.js';
import type {
  CreateTargetGroupCommandInput,
  Listener,
  Rule,
  Tag,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';

/** ELBv2's limits: target group names, rule priorities. */
const TG_NAME_LIMIT = 32;
const MAX_PRIORITY = 50_000;

/** The tag that says which pull request a preview's rule and target group belong to (as on the service). */
export const PREVIEW_TAG = 'ecs-ship:preview';

/**
 * The preview's target group name: the preview service's name cleaned to ELBv2's rules (letters, digits,
 * hyphens, at most 32, no hyphen at either end); when it is too long, cut with a hash of the whole name so
 * two previews never share one.
 */
export function previewTargetGroupName(previewName: string): string {
  const cleaned = previewName
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^internal-/i, 'int-');
  if (cleaned.length > 0 && cleaned.length <= TG_NAME_LIMIT) return cleaned;
  const hash = createHash('sha256').update(previewName).digest('hex').slice(0, 8);
  const head = cleaned.slice(0, TG_NAME_LIMIT - hash.length - 1).replace(/-+$/, '');
  return head ? `${head}-${hash}` : `preview-${hash}`;
}

/** The lowest priority from 1 up that no rule has and no earlier attempt was refused; undefined when all are. */
export function lowestFreePriority(
  taken: Iterable<number>,
  refused: Iterable<number> = [],
): number | undefined {
  const used = new Set([...taken, ...refused]);
  for (let p = 1; p <= MAX_PRIORITY; p++) if (!used.has(p)) return p;
  return undefined;
}

/** The numeric priorities of a listener's rules (the default rule has none). */
export function takenPriorities(rules: Rule[]): number[] {
  return rules.flatMap((r) => (r.IsDefault || !/^\d+$/.test(r.Priority ?? '') ? [] : [Number(r.Priority)]));
}

/** Whether a rule forwards to the target group, by `TargetGroupArn` or in a `ForwardConfig`. */
export function forwardsTo(rule: Rule, targetGroupArn: string): boolean {
  return (rule.Actions ?? []).some(
    (a) =>
      a.TargetGroupArn === targetGroupArn ||
      (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn),
  );
}

export function hasOwnerTag(tags: Tag[] | undefined, owner: string): boolean {
  return (tags ?? []).some((t) => t.Key === PREVIEW_TAG && t.Value === owner);
}

/** CreateTargetGroup's input: the template's protocol, port, VPC, health check and target type, our tags. */
export function previewTargetGroupInput(
  template: TargetGroup,
  name: string,
  owner: string,
): CreateTargetGroupCommandInput {
  const t = template;
  const copied = {
    Protocol: t.Protocol,
    ProtocolVersion: t.ProtocolVersion,
    Port: t.Port,
    VpcId: t.VpcId,
    TargetType: t.TargetType,
    IpAddressType: t.IpAddressType,
    HealthCheckProtocol: t.HealthCheckProtocol,
    HealthCheckPort: t.HealthCheckPort,
    HealthCheckEnabled: t.HealthCheckEnabled,
    HealthCheckPath: t.HealthCheckPath,
    HealthCheckIntervalSeconds: t.HealthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: t.HealthCheckTimeoutSeconds,
    HealthyThresholdCount: t.HealthyThresholdCount,
    UnhealthyThresholdCount: t.UnhealthyThresholdCount,
    Matcher: t.Matcher,
  };
  const defined = Object.fromEntries(Object.entries(copied).filter(([, v]) => v !== undefined));
  return { Name: name, ...defined, Tags: [{ Key: PREVIEW_TAG, Value: owner }] };
}

/**
 * The URL a load balancer gives: https when one of its listeners is HTTPS or on 443, else http; the
 * listener's port when it is not the scheme's own.
 */
export function loadBalancerUrl(dnsName: string, listeners: Listener[]): string {
  const https = listeners.find((l) => l.Protocol === 'HTTPS' || l.Port === 443);
  if (https) return `https://${dnsName}${https.Port && https.Port !== 443 ? `:${https.Port}` : ''}`;
  const http = listeners.find((l) => l.Protocol === 'HTTP') ?? listeners[0];
  return `http://${dnsName}${http?.Port && http.Port !== 80 ? `:${http.Port}` : ''}`;
}

/**
 * Whether an existing preview registers with its own target group. One created before `preview-listener-arn`
 * was set does not (its host does not reach it): the next deploy attaches it (UpdateService loadBalancers).
 */
export function isAttached(
  loadBalancers: { targetGroupArn?: string | undefined }[] | undefined,
  previewName: string,
): boolean {
  const name = previewTargetGroupName(previewName);
  return (loadBalancers ?? []).some((lb) => targetGroupNameOf(lb.targetGroupArn) === name);
}
