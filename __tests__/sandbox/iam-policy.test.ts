// The sandbox's IAM evaluation, by table: what a policy allows is what the e2e tests' verdicts rest on.
import { describe, expect, it } from '@jest/globals';
import {
  evaluate,
  statementsOf,
  type PolicyDocument,
  type PolicyStatement,
} from '../../sandbox/iam-policy.js';

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const SERVICE = 'arn:aws:ecs:us-east-1:123456789012:service/default/web';
const CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/default';

describe('evaluate', () => {
  it.each([
    [
      'an action wildcard, any case',
      doc({ Effect: 'Allow', Action: 'ECS:Update*', Resource: SERVICE }),
      'allowed',
    ],
    [
      'a resource wildcard',
      doc({ Effect: 'Allow', Action: 'ecs:UpdateService', Resource: 'arn:aws:ecs:*:*:service/default/w?b' }),
      'allowed',
    ],
    [
      'another resource',
      doc({ Effect: 'Allow', Action: 'ecs:UpdateService', Resource: `${SERVICE}-2` }),
      'implicit-deny',
    ],
    ['NotAction', doc({ Effect: 'Allow', NotAction: 'ecs:Delete*', Resource: '*' }), 'allowed'],
    [
      'NotAction excluding it',
      doc({ Effect: 'Allow', NotAction: 'ecs:Update*', Resource: '*' }),
      'implicit-deny',
    ],
    ['NotResource', doc({ Effect: 'Allow', Action: '*', NotResource: SERVICE }), 'implicit-deny'],
    [
      'Deny over Allow',
      doc(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'ecs:UpdateService', Resource: '*' },
      ),
      'explicit-deny',
    ],
    ['no statement', doc(), 'implicit-deny'],
  ])('%s', (_what, policy, decision) => {
    expect(evaluate([policy], { action: 'ecs:UpdateService', resource: SERVICE })).toBe(decision);
  });

  const listTasks = (cluster?: string) => ({
    action: 'ecs:ListTasks',
    resource: '*',
    ...(cluster ? { context: { 'ecs:cluster': cluster } } : {}),
  });
  const inCluster = doc({
    Effect: 'Allow',
    Action: 'ecs:ListTasks',
    Resource: '*',
    Condition: { ArnEquals: { 'ecs:cluster': CLUSTER } },
  });
  it.each([
    ['the condition holds', listTasks(CLUSTER), 'allowed'],
    ['another cluster', listTasks(`${CLUSTER}-2`), 'implicit-deny'],
    ['the key absent', listTasks(), 'implicit-deny'],
  ])('conditions: %s', (_what, request, decision) => {
    expect(evaluate([inCluster], request)).toBe(decision);
  });

  it('a negated operator holds when the key is absent, as IAM has it', () => {
    const policy = doc({
      Effect: 'Allow',
      Action: 'ecs:ListTasks',
      Resource: '*',
      Condition: { ArnNotEquals: { 'ecs:cluster': CLUSTER } },
    });
    expect(evaluate([policy], listTasks())).toBe('allowed');
  });
});

describe('statementsOf refuses what the sandbox does not evaluate', () => {
  it.each([
    [
      {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': 'x' } },
      },
      /operator DateGreaterThan/,
    ],
    [
      { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceIp': 'x' } } },
      /condition key aws:SourceIp/,
    ],
    [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }, /does not evaluate Principal/],
    [{ Effect: 'Allow', Resource: '*' }, /Action and NotAction/],
  ])('%j', (statement, message) => {
    expect(() => statementsOf(doc(statement as PolicyStatement))).toThrow(message);
  });
});
