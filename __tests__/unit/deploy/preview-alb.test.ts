import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { removePreviewAlb } from '../../../src/deploy/preview-alb.js';

/** The close's order against an ELBv2 that holds the target group while the deleted service drains. */

const elb = mockClient(ElasticLoadBalancingV2Client);
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-pr-7/0123456789abcdef';
const RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1/2/3';
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2';
const OWNER = 'org/app/pull/7';

const inUse = () =>
  Object.assign(new Error('Target group is currently in use by a listener or a rule'), {
    name: 'ResourceInUseException',
    $metadata: { httpStatusCode: 400 },
  });

const lines: string[] = [];
const log = {
  info: (l: string) => lines.push(l),
  warning: (l: string) => lines.push(`warning: ${l}`),
  group: async <T>(_: string, fn: () => Promise<T>) => fn(),
};
const target = { region: 'us-east-1', listenerArn: LISTENER, owner: OWNER, previewName: 'web-pr-7' };

beforeEach(() => {
  elb.reset();
  lines.length = 0;
  elb
    .on(DescribeTargetGroupsCommand)
    .resolves({ TargetGroups: [{ TargetGroupArn: TG, TargetGroupName: 'web-pr-7' }] });
  elb
    .on(DescribeTagsCommand)
    .resolves({ TagDescriptions: [{ Tags: [{ Key: 'ecs-ship:preview', Value: OWNER }] }] });
  // Two pages, as ELBv2 pages them: the preview's rule is only on the one asked for with the first's marker.
  elb.on(DescribeRulesCommand).callsFake((input: { Marker?: string }) => {
    if (input.Marker === undefined)
      return {
        Rules: [{ RuleArn: 'default', Priority: 'default', IsDefault: true, Actions: [] }],
        NextMarker: '1',
      };
    if (input.Marker === '1')
      return {
        Rules: [
          {
            RuleArn: RULE,
            Priority: '4',
            IsDefault: false,
            Actions: [{ Type: 'forward', TargetGroupArn: TG }],
          },
        ],
      };
    throw new Error(`no page for Marker ${input.Marker}`);
  });
  elb.on(DeleteRuleCommand).resolves({});
});

describe('removePreviewAlb', () => {
  it('deletes the rule, then the target group once ELBv2 stops answering ResourceInUse', async () => {
    elb.on(DeleteTargetGroupCommand).rejectsOnce(inUse()).rejectsOnce(inUse()).resolves({});
    const removed = await removePreviewAlb(target, { pollSeconds: 0.01, timeoutMinutes: 1 }, log);
    expect(removed).toEqual(['listener rule at priority 4', 'target group web-pr-7']);
    expect(elb.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input)).toEqual([{ RuleArn: RULE }]);
    expect(elb.commandCalls(DeleteTargetGroupCommand)).toHaveLength(3);
  });

  it('leaves a target group that is not this preview (another owner tag) alone', async () => {
    elb
      .on(DescribeTagsCommand)
      .resolves({ TagDescriptions: [{ Tags: [{ Key: 'ecs-ship:preview', Value: 'other/repo/pull/7' }] }] });
    expect(await removePreviewAlb(target, { pollSeconds: 0.01, timeoutMinutes: 1 }, log)).toEqual([]);
    expect(elb.commandCalls(DeleteRuleCommand)).toHaveLength(0);
    expect(elb.commandCalls(DeleteTargetGroupCommand)).toHaveLength(0);
  });

  it('warns and keeps the target group when it is still in use at the deadline', async () => {
    elb.on(DeleteTargetGroupCommand).rejects(inUse());
    const removed = await removePreviewAlb(target, { pollSeconds: 0.01, timeoutMinutes: 0.001 }, log);
    expect(removed).toEqual(['listener rule at priority 4']);
    expect(lines).toContain(
      'warning: Target group web-pr-7 was still in use at the deadline and stays: delete it later.',
    );
  });
});
