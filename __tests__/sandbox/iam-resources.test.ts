// What the sandbox's IAM is asked for a request, by table: the action and the ARN AWS reads off it.
import { describe, expect, it } from '@jest/globals';
import { newCodeDeployState } from '../../sandbox/codedeploy-model.js';
import { newEcsState } from '../../sandbox/ecs/model.js';
import type { RequestContext, Service } from '../../sandbox/http.js';
import { accessRequests } from '../../sandbox/iam-resources.js';

const world = { ecs: newEcsState('us-east-1'), codeDeploy: newCodeDeployState(), roles: new Map() };

const ask = (service: Service, operation: string, body: Record<string, unknown>) =>
  accessRequests({ service, operation, body, region: 'us-east-1' } as unknown as RequestContext, world).map(
    (r) => `${r.action} ${r.resource}`,
  );

describe('accessRequests', () => {
  it.each<[Service, string, Record<string, unknown>, string[]]>([
    [
      'ecr-public',
      'GetAuthorizationToken',
      {},
      ['ecr-public:GetAuthorizationToken *', 'sts:GetServiceBearerToken *'],
    ],
    ['ecr-public', 'DescribeRegistries', {}, ['ecr-public:DescribeRegistries *']],
    [
      'ecr-public',
      'DescribeRepositories',
      { repositoryNames: ['gallery'] },
      ['ecr-public:DescribeRepositories arn:aws:ecr-public::123456789012:repository/gallery'],
    ],
    [
      'ecr-public',
      'CreateRepository',
      { repositoryName: 'team/gallery' },
      ['ecr-public:CreateRepository arn:aws:ecr-public::123456789012:repository/team/gallery'],
    ],
    ['ecr', 'GetAuthorizationToken', {}, ['ecr:GetAuthorizationToken *']],
    [
      'ecr',
      'DescribeRepositories',
      { repositoryNames: ['web'] },
      ['ecr:DescribeRepositories arn:aws:ecr:us-east-1:123456789012:repository/web'],
    ],
  ])('%s %s', (service, operation, body, asked) => {
    expect(ask(service, operation, body)).toEqual(asked);
  });
});
