// A preview's URL behind an Application Load Balancer: its own target group (the template's settings) and a
// host-header rule at the lowest free priority on `preview-listener-arn`, both tagged with the preview tag so
// a re-run finds them (opened twice = the same rule and group) and close removes exactly them. Imported only
// when `preview-listener-arn` is set, so the ELBv2 SDK loads only then.
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { createElbv2Client } from '../aws/clients.js';
import type { PermissionCheck } from '../aws/simulate.js';
import { isNamed } from '../aws/errors.js';
import { inputError, UserError } from '../errors.js';
import { Poller } from '../poll/poller.js';
import type { Logger } from '../report/log.js';
import {
  lowestFreePriority,
  previewTargetGroupInput,
  previewTargetGroupName,
  PREVIEW_TAG,
  takenPriorities,
} from './alb-rules.js';
import { elbCall, isOwned, listenerRules, ownRule, targetGroupNamed } from './preview-alb-elbv2.js';

/** Where the preview's rule goes and whose it is. */
export interface PreviewAlbTarget {
  region: string;
  listenerArn: string;
  /** The rendered host (`pr-7.preview.example.com`). */
  host: string;
  /** The preview tag's value: `{repository}/pull/{number}`. */
  owner: string;
  /** The preview service's name (its target group's name comes from it). */
  previewName: string;
}

/** ELBv2's longest host-header condition value. */
const HOST_LIMIT = 128;

/** What the plan read (the listener, the template's target group), and `ensure` to make the rest. */
export interface PreviewAlb {
  targetGroupName: string;
  /** What `ensure` may write, for the plan's permission check: the group (tagged) and the rule. */
  writes: PermissionCheck[];
  /** Creates what is missing (or finds it again); the `loadBalancers` for CreateService. */
  ensure(log: (line: string) => void): Promise<LoadBalancer[]>;
}

/**
 * Reads only, before any write: the listener exists, and the template service sits behind a target group
 * whose settings the preview's copies. A template without one is the user's mistake, named.
 */
export async function planPreviewAlb(target: PreviewAlbTarget, template: Service): Promise<PreviewAlb> {
  if (target.host.length > HOST_LIMIT)
    throw inputError(
      'preview-host',
      target.host,
      `a host name of at most ${HOST_LIMIT} characters once filled in (ELBv2's limit for a host-header value)`,
    );
  const elb = await createElbv2Client(target.region);
  const { listenerArn } = target;
  try {
    await elbCall(`reading listener ${listenerArn}`, 'DescribeListeners', () =>
      elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] })),
    );
  } catch (err) {
    if (!isNamed(err, 'ListenerNotFoundException')) throw err;
    throw new UserError(
      `Input 'preview-listener-arn' is '${listenerArn}': no such listener (ListenerNotFound).`,
    );
  }
  const lb = (template.loadBalancers ?? []).find(
    (l) => l.targetGroupArn && l.containerName && l.containerPort !== undefined,
  );
  if (!lb?.targetGroupArn) {
    throw new UserError(
      `Input 'preview-listener-arn' is set, but service '${template.serviceName}' has no load balancer target group (loadBalancers with targetGroupArn, containerName, containerPort) for the preview to copy.`,
    );
  }
  const templateArn = lb.targetGroupArn;
  const out = await elbCall('reading the service target group', 'DescribeTargetGroups', () =>
    elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [templateArn] })),
  );
  const templateGroup = out.TargetGroups?.[0];
  if (!templateGroup)
    throw new UserError(`Target group ${templateArn} of service '${template.serviceName}' is gone.`);
  const name = previewTargetGroupName(target.previewName);
  // `arn:aws:elasticloadbalancing:REGION:ACCOUNT`, the listener's own: a target group's ARN starts the same.
  const prefix = listenerArn.replace(/:listener\/.*$/, '');
  const group = `${prefix}:targetgroup/${name}/*`;
  return {
    targetGroupName: name,
    writes: [
      { action: 'elasticloadbalancing:CreateTargetGroup', resource: group },
      { action: 'elasticloadbalancing:AddTags', resource: group },
      { action: 'elasticloadbalancing:CreateRule', resource: listenerArn },
    ],
    ensure: async (log) => {
      const arn = await ensureTargetGroup(elb, target, templateGroup, name, log);
      await ensureRule(elb, target, arn, log);
      return [{ targetGroupArn: arn, containerName: lb.containerName, containerPort: lb.containerPort }];
    },
  };
}

async function ensureTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  target: PreviewAlbTarget,
  template: TargetGroup,
  name: string,
  log: (line: string) => void,
): Promise<string> {
  const found = await targetGroupNamed(elb, name);
  if (found?.TargetGroupArn) {
    if (!(await isOwned(elb, found.TargetGroupArn, target.owner)))
      throw new UserError(
        `Target group ${name} exists and is not preview ${target.previewName}'s (no ecs-ship:preview=${target.owner} tag): rename or remove it.`,
      );
    log(`Target group ${name} exists (kept)`);
    return found.TargetGroupArn;
  }
  const out = await elbCall(
    `creating target group ${name}`,
    'CreateTargetGroup (and elasticloadbalancing:AddTags)',
    () => elb.send(new CreateTargetGroupCommand(previewTargetGroupInput(template, name, target.owner))),
  );
  const arn = out.TargetGroups?.[0]?.TargetGroupArn;
  if (!arn) throw new Error(`CreateTargetGroup ${name} answered no target group`);
  log(`Created target group ${name}`);
  return arn;
}

/** Tries at most this many priorities: each refusal is another preview taking one at the same time. */
const PRIORITY_ATTEMPTS = 20;

async function ensureRule(
  elb: ElasticLoadBalancingV2Client,
  target: PreviewAlbTarget,
  targetGroupArn: string,
  log: (line: string) => void,
): Promise<void> {
  const refused: number[] = [];
  for (let attempt = 0; attempt < PRIORITY_ATTEMPTS; attempt++) {
    const rules = await listenerRules(elb, target.listenerArn);
    const own = await ownRule(elb, rules, targetGroupArn, target.owner);
    if (own) {
      log(`Listener rule for ${target.host} exists at priority ${own.Priority} (kept)`);
      return;
    }
    const priority = lowestFreePriority(takenPriorities(rules), refused);
    if (priority === undefined)
      throw new UserError(`Listener ${target.listenerArn} has no free rule priority.`);
    try {
      await elbCall(`adding a rule for ${target.host}`, 'CreateRule (and elasticloadbalancing:AddTags)', () =>
        elb.send(
          new CreateRuleCommand({
            ListenerArn: target.listenerArn,
            Priority: priority,
            Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [target.host] } }],
            Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
            Tags: [{ Key: PREVIEW_TAG, Value: target.owner }],
          }),
        ),
      );
      log(`Added listener rule for ${target.host} at priority ${priority}`);
      return;
    } catch (err) {
      // Another preview took it between our read and our write: read again, try the next one.
      if (!isNamed(err, 'PriorityInUseException')) throw err;
      refused.push(priority);
      log(`Priority ${priority} was taken meanwhile; trying the next free one`);
    }
  }
  throw new UserError(
    `No rule priority could be taken on ${target.listenerArn} after ${PRIORITY_ATTEMPTS} tries: too many previews at once?`,
  );
}

/**
 * On close, after the preview service is deleted: its rule, then its target group (which ELBv2 refuses to
 * delete while a rule or the draining service still uses it: retried until the poll deadline). What was
 * removed, as lines for the log and the PR comment.
 */
export async function removePreviewAlb(
  target: Omit<PreviewAlbTarget, 'host'>,
  wait: { pollSeconds: number; timeoutMinutes: number },
  log: Logger,
): Promise<string[]> {
  const elb = await createElbv2Client(target.region);
  const removed: string[] = [];
  const name = previewTargetGroupName(target.previewName);
  const group = await targetGroupNamed(elb, name);
  const arn = group?.TargetGroupArn;
  if (!arn || !(await isOwned(elb, arn, target.owner))) return removed;
  const rules = await listenerRules(elb, target.listenerArn);
  const own = await ownRule(elb, rules, arn, target.owner);
  if (own?.RuleArn) {
    const RuleArn = own.RuleArn;
    await elbCall('deleting the preview rule', 'DeleteRule', () =>
      elb.send(new DeleteRuleCommand({ RuleArn })),
    );
    removed.push(`listener rule at priority ${own.Priority}`);
  }
  const poller = new Poller({
    intervalMs: wait.pollSeconds * 1000,
    timeoutMs: wait.timeoutMinutes * 60_000,
    log: (line) => log.info(line),
  });
  const done = await poller.until(
    async () => {
      try {
        await elbCall(`deleting target group ${name}`, 'DeleteTargetGroup', () =>
          elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
        );
        return { done: true };
      } catch (err) {
        if (isNamed(err, 'ResourceInUseException')) return 'wait';
        throw err;
      }
    },
    () => `target group ${name} to be free of the deleted service`,
  );
  if (done.timedOut)
    log.warning(`Target group ${name} was still in use at the deadline and stays: delete it later.`);
  else removed.push(`target group ${name}`);
  return removed;
}
