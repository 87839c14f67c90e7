import { describe, expect, it } from '@jest/globals';
import { checkAgainstModels, type AnswerRecord } from '../../sandbox/model-check.js';

/**
 * The check every e2e environment runs on stop() against botocore's AWS models: it must find what a
 * sandbox kinder than AWS would answer, and nothing in what AWS itself would.
 */
const service = { serviceName: 'web', status: 'ACTIVE', desiredCount: 2, createdAt: 1_700_000_000.5 };

describe('the sandbox answers checked against the AWS models', () => {
  it.each<[string, AnswerRecord, string[]]>([
    [
      'a conforming answer',
      {
        service: 'ecs',
        operation: 'DescribeServices',
        ok: true,
        body: { services: [service], failures: [] },
      },
      [],
    ],
    [
      'an unknown key',
      {
        service: 'ecs',
        operation: 'DescribeServices',
        ok: true,
        body: { services: [{ ...service, colour: 'blue' }] },
      },
      ['ecs:DescribeServices.services[].colour: not a member of Service'],
    ],
    [
      'a number sent as a string',
      {
        service: 'ecs',
        operation: 'DescribeServices',
        ok: true,
        body: { services: [{ ...service, desiredCount: '2' }] },
      },
      ['ecs:DescribeServices.services[].desiredCount: "2" is not an integer'],
    ],
    [
      'a value outside an enum',
      {
        service: 'ecs',
        operation: 'DescribeServices',
        ok: true,
        body: { services: [{ ...service, launchType: 'LAMBDA' }] },
      },
      [
        "ecs:DescribeServices.services[].launchType: \"LAMBDA\" is not one of LaunchType's values ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']",
      ],
    ],
    [
      'a timestamp as ISO text (the JSON protocols send epoch seconds)',
      {
        service: 'ecs',
        operation: 'DescribeServices',
        ok: true,
        body: { services: [{ ...service, createdAt: '2026-12-03T10:00:00Z' }] },
      },
      [
        'ecs:DescribeServices.services[].createdAt: "2026-12-03T10:00:00Z" is not a timestamp (epoch seconds)',
      ],
    ],
    [
      'a declared error',
      { service: 'ecs', operation: 'UpdateService', ok: false, code: 'ServiceNotFoundException' },
      [],
    ],
    [
      'a common error',
      { service: 'ecr', operation: 'DescribeRepositories', ok: false, code: 'ThrottlingException' },
      [],
    ],
    [
      'an error the operation does not declare',
      { service: 'ecr', operation: 'GetAuthorizationToken', ok: false, code: 'RepositoryNotFoundException' },
      [
        'ecr:GetAuthorizationToken: answered RepositoryNotFoundException, which the operation does not declare (InvalidParameterException, ServerException)',
      ],
    ],
    [
      'an operation the service lacks',
      { service: 'ecs', operation: 'DescribeRainbows', ok: true, body: {} },
      ['ecs:DescribeRainbows: not an operation of the ecs model'],
    ],
    [
      'AWS refusing a target it does not know',
      { service: 'ecs', operation: 'DescribeRainbows', ok: false, code: 'UnknownOperationException' },
      [],
    ],
    [
      'any other error for an operation the service lacks',
      { service: 'ecs', operation: 'DescribeRainbows', ok: false, code: 'ClientException' },
      ['ecs:DescribeRainbows: not an operation of the ecs model'],
    ],
  ])('%s', async (_what, answer, findings) => {
    const found = await checkAgainstModels([answer]);
    // Enum lists grow with the model; compare the finding up to its list of values.
    expect(found.map((f) => f.replace(/ \[.*\]$/, ''))).toEqual(
      findings.map((f) => f.replace(/ \[.*\]$/, '')),
    );
  });
});
