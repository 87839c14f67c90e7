import type { Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from '@jest/globals';
import { findIncompatibilities, type CompatibilityFacts } from '../../../src/taskdef/compatibility.js';

const fargateTd = {
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/nginx/nginx:1' }],
};
const onFargate: Service = { serviceName: 'api', launchType: 'FARGATE' };
const onSpot: Service = {
  serviceName: 'spot',
  capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
};
const onEc2: Service = { serviceName: 'ec2', launchType: 'EC2' };
const onAsg: Service = { serviceName: 'asg', capacityProviderStrategy: [{ capacityProvider: 'my-asg' }] };
const nothing: CompatibilityFacts = { pushed: { containers: [], host: undefined }, platforms: undefined };
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const withWeb = (members: Record<string, unknown>) => ({
  ...fargateTd,
  containerDefinitions: [{ ...fargateTd.containerDefinitions[0], ...members }],
});

describe('findIncompatibilities', () => {
  it.each([
    ['a Fargate task definition on Fargate', fargateTd, [onFargate], nothing],
    [
      'any task definition on EC2',
      { ...fargateTd, requiresCompatibilities: ['EC2'], networkMode: 'bridge' },
      [onEc2],
      nothing,
    ],
    ['an EC2 capacity provider', { ...fargateTd, requiresCompatibilities: undefined }, [onAsg], nothing],
    [
      'awslogs with an execution role',
      {
        ...withWeb({ logConfiguration: { logDriver: 'awslogs' } }),
        executionRoleArn: 'arn:aws:iam::1:role/x',
      },
      [onFargate],
      nothing,
    ],
    [
      'awslogs on EC2 (the instance role may do)',
      withWeb({ logConfiguration: { logDriver: 'awslogs' } }),
      [onEc2],
      nothing,
    ],
    [
      'a pushed image on ECR Public',
      fargateTd,
      [onFargate],
      { pushed: { containers: ['web'], host: 'public.ecr.aws' }, platforms: undefined },
    ],
    [
      'a linux/amd64 image on Fargate',
      fargateTd,
      [onFargate],
      {
        pushed: { containers: ['web'], host: undefined },
        platforms: [{ os: 'linux', architecture: 'amd64' }],
      },
    ],
    [
      'an index that has arm64',
      { ...fargateTd, runtimePlatform: { cpuArchitecture: 'ARM64' } },
      [onFargate],
      {
        pushed: { containers: ['web'], host: undefined },
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64' },
        ],
      },
    ],
    [
      'an arm64 image on EC2 without runtimePlatform',
      fargateTd,
      [onEc2],
      {
        pushed: { containers: ['web'], host: undefined },
        platforms: [{ os: 'linux', architecture: 'arm64' }],
      },
    ],
  ])('finds nothing for %s', (_, td, services, facts) => {
    expect(findIncompatibilities(td, services, facts)).toEqual([]);
  });

  it.each([
    [
      'EC2-only compatibilities on a Fargate service',
      { ...fargateTd, requiresCompatibilities: ['EC2'] },
      [onFargate],
      nothing,
      `requiresCompatibilities is ["EC2"], but service 'api' runs on Fargate (launch type FARGATE): expected it to include "FARGATE"`,
    ],
    [
      'no compatibilities on a Fargate Spot service',
      { ...fargateTd, requiresCompatibilities: undefined },
      [onSpot],
      nothing,
      `requiresCompatibilities is not set, but service 'spot' runs on Fargate (capacity provider FARGATE_SPOT): expected it to include "FARGATE"`,
    ],
    [
      'bridge networking on Fargate',
      { ...fargateTd, networkMode: 'bridge' },
      [onFargate],
      nothing,
      `networkMode is "bridge", but service 'api' runs on Fargate (launch type FARGATE): expected "awsvpc", the only mode Fargate has`,
    ],
    [
      'awslogs without an execution role',
      withWeb({ logConfiguration: { logDriver: 'awslogs', options: {} } }),
      [onFargate],
      nothing,
      "executionRoleArn is not set, but container 'web' logs with awslogs on Fargate, which needs the task execution role",
    ],
    [
      'secrets without an execution role',
      withWeb({ secrets: [{ name: 'A', valueFrom: 'arn:aws:ssm:eu-west-1:1:parameter/a' }] }),
      [onFargate],
      nothing,
      "executionRoleArn is not set, but container 'web' has secrets on Fargate",
    ],
    [
      'a private ECR image without an execution role',
      withWeb({ image: `${ECR}/web:1` }),
      [onFargate],
      nothing,
      `executionRoleArn is not set, but container 'web' pulls its image from private ECR (${ECR}) on Fargate`,
    ],
    [
      'the pushed image going to private ECR',
      fargateTd,
      [onFargate],
      { pushed: { containers: ['web'], host: ECR }, platforms: undefined },
      `container 'web' pulls its image from private ECR (${ECR})`,
    ],
    [
      'an arm64 image where runtimePlatform is unset on Fargate',
      fargateTd,
      [onFargate],
      {
        pushed: { containers: ['web'], host: undefined },
        platforms: [{ os: 'linux', architecture: 'arm64' }],
      },
      'the image is built for linux/arm64, but runtimePlatform is not set, which on Fargate means LINUX on X86_64 (linux/amd64): build the image for linux/amd64, or set runtimePlatform to match the image',
    ],
    [
      'an amd64 image where runtimePlatform asks for ARM64',
      { ...fargateTd, runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' } },
      [onEc2],
      {
        pushed: { containers: ['web'], host: undefined },
        platforms: [{ os: 'linux', architecture: 'amd64' }],
      },
      'the image is built for linux/amd64, but runtimePlatform asks for LINUX on ARM64 (linux/arm64)',
    ],
  ])('%s', (_, td, services, facts, line) => {
    const lines = findIncompatibilities(td, services, facts);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  it('names every Fargate service that cannot run it, one line each', () => {
    const td = { ...fargateTd, requiresCompatibilities: ['EC2'], networkMode: 'bridge' };
    expect(findIncompatibilities(td, [onFargate, onEc2, onSpot], nothing)).toHaveLength(4);
  });
});
