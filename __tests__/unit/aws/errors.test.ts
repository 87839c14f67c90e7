import { describe, expect, it } from '@jest/globals';
import { ThrottlingException as CodeDeployThrottling } from '@aws-sdk/client-codedeploy';
import {
  RepositoryNotFoundException,
  ServerException as EcrServerException,
  LimitExceededException as EcrLimitExceeded,
} from '@aws-sdk/client-ecr';
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  ECSServiceException,
  InvalidParameterException,
  LimitExceededException,
  ServerException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UnsupportedFeatureException,
} from '@aws-sdk/client-ecs';
import {
  accessDenied,
  describeEnvironmentFault,
  classifyAwsError,
  describeAwsError,
  errorName,
  iamAction,
  isNamed,
  type AwsService,
  type ErrorKind,
} from '../../../src/aws/errors.js';
import { describeError, UserError } from '../../../src/errors.js';
import { HttpStatusError, isTransient } from '../../../src/image/oci/retry.js';

const meta = (httpStatusCode?: number) => (httpStatusCode === undefined ? {} : { httpStatusCode });
const named = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, $metadata: meta(status), ...extra });
/** What Node's sockets throw: a plain Error with a code, no HTTP status at all. */
const network = (code: string, message = `connect ${code} 10.0.0.1:443`) =>
  Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
/** An exception the ECS model does not know, as the SDK deserializes it: the base class with AWS's name. */
const unmodeled = (name: string, status: number, extra: object = {}) =>
  Object.assign(
    new ECSServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: meta(status) }),
    extra,
  );

describe('classifyAwsError', () => {
  it.each<[string, unknown, ErrorKind]>([
    // The SDK's own exception classes, as the clients throw them.
    [
      'ECS AccessDeniedException',
      new AccessDeniedException({ message: 'no', $metadata: meta(400) }),
      'denied',
    ],
    [
      'ECS ServiceNotFoundException',
      new ServiceNotFoundException({ message: 'gone', $metadata: {} }),
      'not-found',
    ],
    [
      'ECS ClusterNotFoundException',
      new ClusterNotFoundException({ message: 'x', $metadata: meta(400) }),
      'not-found',
    ],
    [
      'ECS ServiceNotActiveException',
      new ServiceNotActiveException({ message: 'x', $metadata: meta(400) }),
      'not-found',
    ],
    [
      'ECS InvalidParameterException',
      new InvalidParameterException({ message: 'x', $metadata: meta(400) }),
      'unavailable',
    ],
    [
      'ECS UnsupportedFeatureException',
      new UnsupportedFeatureException({ message: 'x', $metadata: meta(400) }),
      'unavailable',
    ],
    ['ECS ServerException', new ServerException({ message: 'oops', $metadata: meta(500) }), 'transient'],
    [
      'ECS ServerException without a status',
      new ServerException({ message: 'oops', $metadata: {} }),
      'transient',
    ],
    ['ECS ClientException', new ClientException({ message: 'bad', $metadata: meta(400) }), 'fatal'],
    // A quota, whatever the SDK's throttling list says of the name.
    [
      'ECS LimitExceededException',
      new LimitExceededException({ message: 'quota', $metadata: meta(400) }),
      'fatal',
    ],
    ['ECR LimitExceededException', new EcrLimitExceeded({ message: 'quota', $metadata: meta(400) }), 'fatal'],
    ['ECR ServerException', new EcrServerException({ message: 'x', $metadata: meta(500) }), 'transient'],
    [
      'ECR RepositoryNotFoundException',
      new RepositoryNotFoundException({ message: 'x', $metadata: meta(400) }),
      'fatal',
    ],
    [
      'CodeDeploy ThrottlingException',
      new CodeDeployThrottling({ message: 'slow down', $metadata: meta(400) }),
      'transient',
    ],
    // Throttling by the SDK's classification: names, 429, the retryable trait.
    ['unmodeled ThrottlingException', unmodeled('ThrottlingException', 400), 'transient'],
    ['unmodeled TooManyRequestsException', unmodeled('TooManyRequestsException', 400), 'transient'],
    ['unmodeled RequestLimitExceeded', unmodeled('RequestLimitExceeded', 400), 'transient'],
    [
      "AWS's name only in `code`",
      Object.assign(new Error('x'), { code: 'ThrottlingException' }),
      'transient',
    ],
    ['a bare 429', unmodeled('SomethingNew', 429), 'transient'],
    [
      'throttling by the retryable trait',
      unmodeled('Odd', 400, { $retryable: { throttling: true } }),
      'transient',
    ],
    // Transient and 5xx by the SDK's classification.
    ['a bare 503', unmodeled('SomethingNew', 503), 'transient'],
    ['a bare 501', unmodeled('SomethingNew', 501), 'transient'],
    ['RequestTimeoutException', unmodeled('RequestTimeoutException', 408), 'transient'],
    ['SDK says retryable', named('Odd', 400, { $retryable: {} }), 'transient'],
    [
      'a corrected clock skew',
      unmodeled('SignatureDoesNotMatch', 403, {
        $metadata: { httpStatusCode: 403, clockSkewCorrected: true },
      }),
      'transient',
    ],
    ['ServiceUnavailable by name only', named('ServiceUnavailable'), 'transient'],
    ['InternalFailure by name only', named('InternalFailure'), 'transient'],
    // Raw network errors: no HTTP answer at all.
    ['ECONNRESET', network('ECONNRESET', 'read ECONNRESET'), 'transient'],
    ['ECONNREFUSED', network('ECONNREFUSED'), 'transient'],
    ['ETIMEDOUT', network('ETIMEDOUT'), 'transient'],
    ['EPIPE', network('EPIPE', 'write EPIPE'), 'transient'],
    ['EHOSTUNREACH', network('EHOSTUNREACH'), 'transient'],
    ['ECONNABORTED', network('ECONNABORTED'), 'transient'],
    [
      'ENOTFOUND (the SDK retries DNS failures)',
      network('ENOTFOUND', 'getaddrinfo ENOTFOUND ecs.example'),
      'transient',
    ],
    ['EAI_AGAIN', network('EAI_AGAIN', 'getaddrinfo EAI_AGAIN ecs.example'), 'transient'],
    [
      'a network error as the cause',
      new Error('fetch failed', { cause: network('ECONNRESET') }),
      'transient',
    ],
    ['socket hang up without a response', new Error('socket hang up'), 'transient'],
    [
      'our per-call time limit',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'transient',
    ],
    ['an aborted request (the SDK calls it terminal; a poll tries again)', named('AbortError'), 'transient'],
    // Nothing a retry fixes.
    ['expired credentials', named('ExpiredTokenException', 400), 'fatal'],
    ['ENOENT', network('ENOENT', 'no such file'), 'fatal'],
    ['a cause that is null', new Error('odd', { cause: null }), 'fatal'],
    ['not an error at all', 'boom', 'fatal'],
    ['null', null, 'fatal'],
  ])('%s → %s', (_name, err, kind) => {
    expect(classifyAwsError(err)).toBe(kind);
  });
});

describe('one list of network error codes for AWS calls and registry requests', () => {
  const codes = 'ECONNRESET ECONNREFUSED ECONNABORTED EPIPE ETIMEDOUT EAI_AGAIN ENETUNREACH EHOSTUNREACH';
  it.each(codes.split(' '))('%s is worth another try for both', (code) => {
    expect(classifyAwsError(network(code))).toBe('transient');
    expect(isTransient(network(code))).toBe(true);
  });

  it('ENOTFOUND: the SDK retries it; a registry host that does not resolve is most often a typo', () => {
    expect(classifyAwsError(network('ENOTFOUND'))).toBe('transient');
    expect(isTransient(network('ENOTFOUND'))).toBe(false);
  });

  it('registry errors keep their own HTTP status rule', () => {
    expect(isTransient(new HttpStatusError(408, 'timeout'))).toBe(true);
    expect(classifyAwsError(unmodeled('SomethingNew', 408))).toBe('fatal');
  });
});

describe('naming errors', () => {
  it.each<[unknown, string]>([
    [new ServiceNotFoundException({ message: 'gone', $metadata: {} }), 'ServiceNotFoundException'],
    [network('ECONNRESET'), 'ECONNRESET'],
    [new Error('plain'), 'Error'],
    ['a string', 'a string'],
  ])('errorName(%p) is %s', (err, name) => {
    expect(errorName(err)).toBe(name);
    expect(isNamed(err, name)).toBe(true);
  });

  it('describeAwsError: name and message on one line', () => {
    const err = new ClientException({ message: 'The service\nis not active.', $metadata: meta(400) });
    expect(describeAwsError(err)).toBe('ClientException: The service is not active.');
  });

  it.each<[unknown, string]>([
    [new UserError("Input 'cluster' is 'x'."), "Input 'cluster' is 'x'."],
    [new AccessDeniedException({ message: 'no', $metadata: {} }), 'AccessDeniedException: no'],
    ['a string', 'a string'],
    [Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), 'TimeoutError: socket hang up'],
    [Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), 'EACCES: permission denied'],
    [
      new Error('plain'),
      'ecs-ship hit an internal error (plain). Rerun the job with debug logging for its stack, and report it.',
    ],
    [
      new TypeError('Invalid URL'),
      'ecs-ship hit an internal error (Invalid URL). Rerun the job with debug logging',
    ],
    [new ReferenceError('x is not defined'), 'ecs-ship hit an internal error (x is not defined).'],
    [new SyntaxError('Unexpected token'), 'ecs-ship hit an internal error (Unexpected token).'],
  ])('describeError(%p) is %s', (err, line) => {
    expect(describeError(err)).toContain(line);
    expect(describeError(err)).not.toMatch(/^(TypeError|ReferenceError|SyntaxError)/);
  });
});

describe('describeEnvironmentFault: the fault of the environment, with its fix', () => {
  const call = (err: object, c: object) => Object.defineProperty(err, '$call', { value: c });
  const onEcs = {
    service: 'ECS',
    operation: 'DescribeServices',
    endpoint: 'https://ecs.us-east-7.amazonaws.com',
  };
  it.each<[unknown, string]>([
    [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'No AWS credentials: add aws-actions/configure-aws-credentials before this step, or set role-to-assume on it (the job needs `permissions: id-token: write`).',
    ],
    [
      call(
        Object.assign(new Error('The security token included in the request is expired'), {
          name: 'ExpiredTokenException',
          $metadata: {},
        }),
        onEcs,
      ),
      'The AWS credentials have expired (ExpiredTokenException on ECS DescribeServices): give the step fresh ones',
    ],
    [
      call(
        Object.assign(new Error('The security token included in the request is invalid.'), {
          name: 'UnrecognizedClientException',
        }),
        onEcs,
      ),
      'AWS did not accept the credentials (UnrecognizedClientException on ECS DescribeServices',
    ],
    [
      call(
        Object.assign(new Error('getaddrinfo ENOTFOUND ecs.us-east-7.amazonaws.com'), { code: 'ENOTFOUND' }),
        onEcs,
      ),
      "ECS did not answer DescribeServices: https://ecs.us-east-7.amazonaws.com is not a host anyone knows (ENOTFOUND). Is aws-region 'us-east-7' a real region",
    ],
    [
      call(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), {
        ...onEcs,
        endpoint: 'http://127.0.0.1:1',
      }),
      "ECS did not answer DescribeServices at http://127.0.0.1:1 (ECONNREFUSED, after retries): check the runner's network",
    ],
    [
      call(
        Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 500 } }),
        onEcs,
      ),
      "ECS answered DescribeServices at https://ecs.us-east-7.amazonaws.com with something that is not AWS's answer (HTTP 500)",
    ],
  ])('%p', (err, line) => {
    expect(describeEnvironmentFault(err, 'us-east-7')?.message).toContain(line);
  });

  it('leaves every other error alone', () => {
    expect(
      describeEnvironmentFault(new AccessDeniedException({ message: 'no', $metadata: {} }), 'us-east-1'),
    ).toBeUndefined();
    expect(describeEnvironmentFault(new UserError('x'), 'us-east-1')).toBeUndefined();
  });
});

describe('access denied names the IAM action of the right service', () => {
  it.each<[AwsService, string, string]>([
    ['ecs', 'DescribeServices', 'ecs:DescribeServices'],
    ['ecs', 'ListTasksCommand', 'ecs:ListTasks'],
    ['ecr', 'GetAuthorizationTokenCommand', 'ecr:GetAuthorizationToken'],
    ['ecr-public', 'CreateRepositoryCommand', 'ecr-public:CreateRepository'],
    ['codedeploy', 'CreateDeployment', 'codedeploy:CreateDeployment'],
  ])('%s %s → %s', (service, op, action) => {
    expect(iamAction(service, op)).toBe(action);
  });

  it('is a UserError with the action and what AWS said, on one line', () => {
    const denied = new AccessDeniedException({ message: 'not authorized\n to perform', $metadata: {} });
    const err = accessDenied('updating service web', iamAction('ecs', 'UpdateService'), denied);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      'Access denied updating service web: allow ecs:UpdateService (not authorized to perform)',
    );
  });
});
