/**
 * How the watcher should treat an error from an ECS call. Pure, so the retry policy is table-tested
 * rather than discovered at 3 a.m.
 * - denied: end now, naming the IAM action (retrying cannot grant a permission)
 * - not-found: the service or cluster is gone; end now
 * - unavailable: the operation does not exist here (older region, LocalStack, sandbox); optional calls fall back
 * - transient: throttling, 5xx, network; retry with backoff
 * - fatal: anything else a retry will not fix
 */
export type ErrorKind = 'denied' | 'not-found' | 'unavailable' | 'transient' | 'fatal';

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);
const NOT_FOUND = new Set([
  'ServiceNotFoundException',
  'ClusterNotFoundException',
  'ServiceNotActiveException',
]);
const UNAVAILABLE = new Set([
  'UnknownOperationException',
  'UnknownOperation',
  'InvalidAction',
  'NotImplemented',
  'UnsupportedFeatureException',
  'InvalidParameterException',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
]);

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as AwsLikeError;
  return typeof e.name === 'string' && e.name !== 'Error'
    ? e.name
    : typeof e.code === 'string'
      ? e.code
      : 'Error';
}

export function classifyAwsError(err: unknown): ErrorKind {
  if (typeof err !== 'object' || err === null) return 'fatal';
  const e = err as AwsLikeError;
  const name = errorName(err);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (DENIED.has(name)) return 'denied';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (UNAVAILABLE.has(name)) return 'unavailable';
  if (THROTTLED.has(name) || (typeof e.code === 'string' && NETWORK.has(e.code)) || NETWORK.has(name)) {
    return 'transient';
  }
  if (status !== undefined && (status >= 500 || status === 429)) return 'transient';
  if (e.$retryable) return 'transient';
  // A socket that died before any HTTP response has no status code at all.
  if (
    status === undefined &&
    typeof e.message === 'string' &&
    /socket hang up|network|timed? ?out/i.test(e.message)
  ) {
    return 'transient';
  }
  return 'fatal';
}

/** `DescribeServicesCommand` → `ecs:DescribeServices`, the IAM action a policy must allow. */
export function iamAction(operation: string): string {
  return `ecs:${operation.replace(/Command$/, '')}`;
}
