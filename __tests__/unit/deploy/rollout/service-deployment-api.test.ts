import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { missingServiceDeployments } from '../../../../src/deploy/rollout/service-deployment-api.js';
import { watchRollout } from '../../../../src/deploy/rollout/watch.js';
import { at, dep, sd, STARTED, svc, target, TD } from '../fixtures.js';
import { fakeClock, type FakeClock } from '../../poll/fake-clock.js';

/** What the SDK throws for an answer that is not JSON (moto's 500 page, a proxy's 404). */
function htmlAnswer(status: number): Error {
  const err = new SyntaxError(
    `Unexpected token '<', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
  );
  return Object.assign(err, { $metadata: { httpStatusCode: status } });
}

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

const LIST = 'ecs:ListServiceDeployments';
const DESCRIBE = 'ecs:DescribeServiceDeployments';

describe('missingServiceDeployments', () => {
  it.each<[string, Error, string, boolean, number, string | undefined]>([
    [
      'UnknownOperationException: missing at once',
      awsError('UnknownOperationException', 400),
      LIST,
      true,
      1,
      `${LIST}: UnknownOperationException, HTTP 400`,
    ],
    [
      '501: missing at once',
      awsError('NotImplemented', 501),
      DESCRIBE,
      false,
      1,
      `${DESCRIBE}: NotImplemented, HTTP 501`,
    ],
    ['a 501 by status alone', awsError('Error', 501), LIST, true, 1, `${LIST}: Error, HTTP 501`],
    [
      'a 404 page that is not JSON: missing at once',
      htmlAnswer(404),
      LIST,
      true,
      1,
      `${LIST}: SyntaxError, HTTP 404, not an ECS answer`,
    ],
    ['a 500 page that is not JSON, once: a bad minute', htmlAnswer(500), LIST, true, 1, undefined],
    ['twice: still a bad minute', htmlAnswer(500), LIST, true, 2, undefined],
    [
      'three polls in a row: missing',
      htmlAnswer(500),
      LIST,
      true,
      3,
      `${LIST}: SyntaxError, HTTP 500, 3 polls in a row`,
    ],
    [
      '503 three polls in a row on the describe call: missing',
      awsError('ServiceUnavailableException', 503),
      DESCRIBE,
      false,
      3,
      `${DESCRIBE}: ServiceUnavailableException, HTTP 503, 3 polls in a row`,
    ],
    [
      'access denied to the search, which a role may lack',
      awsError('AccessDeniedException', 400),
      LIST,
      true,
      1,
      `${LIST}: AccessDeniedException, HTTP 400`,
    ],
    [
      'access denied to describe the one found: the error stands',
      awsError('AccessDeniedException', 400),
      DESCRIBE,
      false,
      1,
      undefined,
    ],
    ['any other error stands', awsError('ValidationException', 400), LIST, true, 5, undefined],
  ])('%s', (_what, err, action, optional, inARow, why) => {
    expect(missingServiceDeployments(err, action, optional, inARow)).toBe(why);
  });
});

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';
const REV_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/7777';

let clock: FakeClock;
let lines: string[];

beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock(STARTED.getTime());
  lines = [];
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  ecsMock
    .on(DescribeServicesCommand)
    .resolvesOnce({ services: [svc([dep(7, { runningCount: 1 }), dep(6, { runningCount: 2 })])] })
    .resolves({ services: [svc([dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })])] });
});

const watch = (timeoutMinutes = 30) =>
  watchRollout(ecs, target, { pollSeconds: 2, timeoutMinutes, log: (l) => lines.push(l), clock });

const said = (text: string) => lines.filter((l) => l.includes(text));

describe('the watch when the service-deployment API is missing or keeps failing', () => {
  it('a 500 page three polls in a row: says so once and judges from DescribeServices', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(htmlAnswer(500));

    const result = await watch();

    expect(result).toMatchObject({ state: 'SUCCESSFUL', success: true, serviceDeploymentArn: undefined });
    expect(result.reason).toBe('web:7 is the only deployment, COMPLETED, running 2/2');
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(3);
    expect(said('retrying')).toEqual([
      '[   0s] SyntaxError on ecs:ListServiceDeployments; retrying in 4s',
      '[   4s] SyntaxError on ecs:ListServiceDeployments; retrying in 8s',
    ]);
    expect(said('service deployments are not available')).toEqual([
      `[  12s] service deployments are not available (${LIST}: SyntaxError, HTTP 500, 3 polls in a row); judging from the service's deployments`,
    ]);
  });

  it('a 500 page twice, then an answer: keeps following the service deployment', async () => {
    ecsMock
      .on(ListServiceDeploymentsCommand)
      .rejectsOnce(htmlAnswer(500))
      .rejectsOnce(htmlAnswer(500))
      .resolves({
        serviceDeployments: [
          { serviceDeploymentArn: SD_ARN, createdAt: at(1), targetServiceRevisionArn: REV_ARN },
        ],
      });
    ecsMock
      .on(DescribeServiceRevisionsCommand)
      .resolves({ serviceRevisions: [{ serviceRevisionArn: REV_ARN, taskDefinition: TD(7) }] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('SUCCESSFUL')] });

    const result = await watch();

    expect(result).toMatchObject({ state: 'SUCCESSFUL', serviceDeploymentArn: SD_ARN });
    expect(said('not available')).toEqual([]);
  });

  it.each([
    ['UnknownOperationException', awsError('UnknownOperationException', 400)],
    ['a 501', awsError('NotImplemented', 501)],
    ['a 404 page', htmlAnswer(404)],
  ])('%s from the search: falls back on the first poll', async (_what, err) => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(err);
    const result = await watch();
    expect(result.state).toBe('SUCCESSFUL');
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1);
    expect(said('not available')).toHaveLength(1);
    expect(said('retrying')).toEqual([]);
  });

  it('DescribeServiceDeployments failing after the service deployment was found: falls back too', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: SD_ARN, createdAt: at(1), targetServiceRevisionArn: REV_ARN },
      ],
    });
    ecsMock
      .on(DescribeServiceRevisionsCommand)
      .resolves({ serviceRevisions: [{ serviceRevisionArn: REV_ARN, taskDefinition: TD(7) }] });
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(awsError('ServiceUnavailableException', 503));

    const result = await watch();

    expect(result.state).toBe('SUCCESSFUL');
    expect(said('not available')).toEqual([
      expect.stringContaining(`(${DESCRIBE}: ServiceUnavailableException, HTTP 503, 3 polls in a row)`),
    ]);
  });

  it('access denied to DescribeServiceDeployments still ends the watch, naming the action', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: SD_ARN, createdAt: at(1), targetServiceRevisionArn: REV_ARN },
      ],
    });
    ecsMock
      .on(DescribeServiceRevisionsCommand)
      .resolves({ serviceRevisions: [{ serviceRevisionArn: REV_ARN, taskDefinition: TD(7) }] });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));
    const result = await watch();
    expect(result.state).toBe('FAILED');
    expect(result.reason).toContain(`Access denied for ${DESCRIBE}`);
  });
});
