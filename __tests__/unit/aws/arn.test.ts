import { describe, expect, it } from '@jest/globals';
import { isTaskDefinitionArn, parseRevision, revisionName, targetGroupNameOf } from '../../../src/aws/arn.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';

describe('task-definition ARNs', () => {
  it.each<[string, string | undefined, string, { family: string; revision: number } | undefined]>([
    ['a full ARN', ARN, 'web:7', { family: 'web', revision: 7 }],
    [
      'a GovCloud ARN with a long family',
      'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/web-worker_2:130',
      'web-worker_2:130',
      { family: 'web-worker_2', revision: 130 },
    ],
    ['family:revision', 'web-worker:3', 'web-worker:3', { family: 'web-worker', revision: 3 }],
    ['a family alone', 'web', 'web', undefined],
    ['an ARN without a revision', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web', 'web', undefined],
    ['no task definition at all', undefined, 'an unknown revision', undefined],
    ['an empty string', '', 'an unknown revision', undefined],
  ])('%s: %s is shown as %s', (_what, arn, name, parsed) => {
    expect(revisionName(arn)).toBe(name);
    expect(parseRevision(arn)).toEqual(parsed);
  });

  it.each<[string, boolean]>([
    [ARN, true],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/shop:1', true],
    ['web:7', false],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web', false],
    ['arn:aws:ecs:us-east-1:12345:task-definition/web:7', false],
    ['arn:aws:ecs:us-east-1:123456789012:service/prod/web', false],
    [`${ARN} `, false],
  ])('%s is a task-definition ARN: %s', (text, expected) => {
    expect(isTaskDefinitionArn(text)).toBe(expected);
  });
});

describe('targetGroupNameOf', () => {
  it.each([
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-pr-7/0123456789abcdef', 'web-pr-7'],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc', 'web'],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/abc', undefined],
    ['web-pr-7', undefined],
    [undefined, undefined],
  ])('%s → %s', (arn, name) => {
    expect(targetGroupNameOf(arn)).toBe(name);
  });
});
