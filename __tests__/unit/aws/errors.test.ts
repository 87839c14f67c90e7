import { describe, expect, it } from '@jest/globals';
import { AccessDeniedException, ClientException, ServiceNotFoundException } from '@aws-sdk/client-ecs';
import { classifyAwsError, iamAction, type ErrorKind } from '../../../src/aws/errors.js';

const named = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(name), {
    name,
    $metadata: status === undefined ? {} : { httpStatusCode: status },
    ...extra,
  });

describe('classifyAwsError', () => {
  it.each<[string, unknown, ErrorKind]>([
    [
      'AccessDeniedException',
      new AccessDeniedException({ message: 'no', $metadata: { httpStatusCode: 400 } }),
      'denied',
    ],
    [
      'ServiceNotFoundException',
      new ServiceNotFoundException({ message: 'gone', $metadata: {} }),
      'not-found',
    ],
    ['ClusterNotFoundException', named('ClusterNotFoundException', 400), 'not-found'],
    ['UnknownOperationException', named('UnknownOperationException', 400), 'unavailable'],
    ['InvalidParameterException', named('InvalidParameterException', 400), 'unavailable'],
    ['ThrottlingException', named('ThrottlingException', 400), 'transient'],
    ['ServerException', named('ServerException', 500), 'transient'],
    ['a bare 503', named('SomethingNew', 503), 'transient'],
    ['a 429', named('SomethingNew', 429), 'transient'],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'transient'],
    ['socket hang up without a response', new Error('socket hang up'), 'transient'],
    [
      'our per-call time limit',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'transient',
    ],
    ['an aborted request', named('AbortError'), 'transient'],
    ['SDK says retryable', named('Odd', 400, { $retryable: {} }), 'transient'],
    ['ClientException', new ClientException({ message: 'bad', $metadata: { httpStatusCode: 400 } }), 'fatal'],
    ['expired credentials', named('ExpiredTokenException', 400), 'fatal'],
    ['not an error at all', 'boom', 'fatal'],
  ])('%s → %s', (_name, err, kind) => {
    expect(classifyAwsError(err)).toBe(kind);
  });
});

describe('iamAction', () => {
  it.each([
    ['DescribeServices', 'ecs:DescribeServices'],
    ['ListTasksCommand', 'ecs:ListTasks'],
  ])('%s → %s', (op, action) => {
    expect(iamAction(op)).toBe(action);
  });
});
