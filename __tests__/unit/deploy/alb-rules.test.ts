import { describe, expect, it } from '@jest/globals';
import type { Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  forwardsTo,
  loadBalancerUrl,
  lowestFreePriority,
  previewTargetGroupInput,
  previewTargetGroupName,
  takenPriorities,
  isAttached,
} from '../../../src/deploy/alb-rules.js';

describe('lowestFreePriority', () => {
  it.each([
    { taken: [], refused: [], expected: 1 },
    { taken: [1, 2, 3], refused: [], expected: 4 },
    { taken: [2, 5], refused: [], expected: 1 },
    { taken: [1, 3], refused: [], expected: 2 },
    // A priority another preview took between our read and our write is skipped even if the re-read lags.
    { taken: [1], refused: [2], expected: 3 },
    { taken: [], refused: [1, 2], expected: 3 },
    { taken: [10, 1, 2], refused: [3], expected: 4 },
  ])('taken $taken, refused $refused -> $expected', ({ taken, refused, expected }) => {
    expect(lowestFreePriority(taken, refused)).toBe(expected);
  });

  it('is undefined when every priority up to 50000 is used', () => {
    expect(lowestFreePriority(Array.from({ length: 50_000 }, (_, i) => i + 1))).toBeUndefined();
  });
});

describe('takenPriorities', () => {
  it('reads numeric priorities and leaves out the default rule', () => {
    const rules: Rule[] = [
      { Priority: '3', IsDefault: false },
      { Priority: 'default', IsDefault: true },
      { Priority: '1', IsDefault: false },
    ];
    expect(takenPriorities(rules)).toEqual([3, 1]);
  });
});

describe('previewTargetGroupName', () => {
  it.each([
    ['web-pr-7', 'web-pr-7'],
    ['api_v2-pr-12', 'api-v2-pr-12'],
    ['-edge-pr-1-', 'edge-pr-1'],
    ['internal-api-pr-3', 'int-api-pr-3'],
  ])('%s -> %s', (name, expected) => {
    expect(previewTargetGroupName(name)).toBe(expected);
  });

  it('cuts a long name to 32 with a hash, so two long names never collide', () => {
    const a = previewTargetGroupName('a-very-long-service-name-for-checkout-pr-101');
    const b = previewTargetGroupName('a-very-long-service-name-for-checkout-pr-102');
    for (const n of [a, b]) expect(n).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])$/);
    expect(a).not.toBe(b);
    expect(a.startsWith('a-very-long-service')).toBe(true);
    expect(a.length).toBeLessThanOrEqual(32);
  });
});

describe('previewTargetGroupInput', () => {
  it("copies the template's protocol, port, VPC, health check and target type, and tags the preview", () => {
    const input = previewTargetGroupInput(
      {
        TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1',
        TargetGroupName: 'web',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: 'vpc-1',
        TargetType: 'ip',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 10,
        Matcher: { HttpCode: '200-299' },
        LoadBalancerArns: ['arn:lb'],
      },
      'web-pr-7',
      'org/app/pull/7',
    );
    expect(input).toEqual({
      Name: 'web-pr-7',
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: 'vpc-1',
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      Matcher: { HttpCode: '200-299' },
      Tags: [{ Key: 'ecs-ship:preview', Value: 'org/app/pull/7' }],
    });
  });
});

describe('forwardsTo', () => {
  it.each([
    [{ Actions: [{ Type: 'forward', TargetGroupArn: 'tg' }] }, true],
    [{ Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg' }] } }] }, true],
    [{ Actions: [{ Type: 'forward', TargetGroupArn: 'other' }] }, false],
    [{ Actions: [{ Type: 'fixed-response' }] }, false],
  ] as [Rule, boolean][])('%j -> %s', (rule, expected) => {
    expect(forwardsTo(rule, 'tg')).toBe(expected);
  });
});

describe('loadBalancerUrl', () => {
  const l = (Protocol: 'HTTP' | 'HTTPS', Port: number): Listener => ({ Protocol, Port });
  it.each([
    [[l('HTTP', 80), l('HTTPS', 443)], 'https://lb.example'],
    [[l('HTTP', 80)], 'http://lb.example'],
    [[l('HTTPS', 8443)], 'https://lb.example:8443'],
    [[l('HTTP', 8080)], 'http://lb.example:8080'],
    [[], 'http://lb.example'],
  ] as [Listener[], string][])('%j -> %s', (listeners, expected) => {
    expect(loadBalancerUrl('lb.example', listeners)).toBe(expected);
  });
});

describe('isAttached', () => {
  const tg = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-pr-7/0123456789abcdef';
  it.each([
    [[{ targetGroupArn: tg }], false],
    [[{ targetGroupArn: tg.replace('web-pr-7', 'web') }], true],
    [[], true],
    [undefined, true],
  ] as [{ targetGroupArn?: string }[] | undefined, boolean][])('%j -> to attach: %s', (lbs, toAttach) => {
    expect(isAttached(lbs, 'web-pr-7')).toBe(!toAttach);
  });
});
