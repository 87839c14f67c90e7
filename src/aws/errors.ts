import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { errorMessage, isNetworkError, UserError } from '../errors.js';

/**
 * How a step should treat an error from an AWS call, whatever the service. Pure, so the retry policy is
 * table-tested rather than discovered at 3 a.m.
 * - denied: end now, naming the IAM action (retrying cannot grant a permission)
 * - not-found: the service or cluster is gone; end now
 * - unavailable: the operation does not exist here (older region, LocalStack, sandbox); optional calls fall back
 * - transient: throttled, 5xx, network (the SDK's own classification, and a few it leaves out); retry
 * - fatal: anything else a retry will not fix
 */
export type ErrorKind = 'denied' | 'not-found' | 'unavailable' | 'transient' | 'fatal';

/** The services whose IAM actions a message may name. */
export type AwsService = 'ecs' | 'ecr' | 'ecr-public' | 'codedeploy';

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
// Server faults by name, for an answer that carries no 5xx status the SDK would go by. AbortError too: the
// SDK calls it terminal (an abort is usually the caller's wish), but here it is a call that outlived its
// own time limit, and the next poll may well get through.
const SERVER_FAULTS = new Set([
  'ServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'AbortError',
]);
// The SDK counts LimitExceededException as throttling by its name, as some services mean it; ECS and ECR
// mean a service quota, which no retry lifts.
const QUOTA = new Set(['LimitExceededException']);

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The exception's name (`ThrottlingException`), else Node's code (`ECONNRESET`), else `Error`. */
export function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as AwsLikeError;
  return typeof e.name === 'string' && e.name !== 'Error'
    ? e.name
    : typeof e.code === 'string'
      ? e.code
      : 'Error';
}

export function isNamed(err: unknown, name: string): boolean {
  return errorName(err) === name;
}

/**
 * The SDK's own throttling/transient/5xx verdict. It goes by `name` and `code` alone, so it is shown the
 * names errorName finds (an error may carry AWS's name only in `code`), and it must not throw on odd values.
 */
function sdkRetries(err: AwsLikeError & { cause?: unknown }, name: string): boolean {
  const code = typeof err.code === 'string' ? err.code : name;
  const view = {
    name,
    code,
    message: err.message,
    $metadata: err.$metadata,
    $retryable: err.$retryable,
    cause: err.cause,
  };
  const e = view as Parameters<typeof isTransientError>[0];
  try {
    return isThrottlingError(e) || isTransientError(e) || isServerError(e);
  } catch {
    return false;
  }
}

export function classifyAwsError(err: unknown): ErrorKind {
  if (typeof err !== 'object' || err === null) return 'fatal';
  const e = err as AwsLikeError;
  const name = errorName(err);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (DENIED.has(name)) return 'denied';
  if (NOT_FOUND.has(name)) return 'not-found';
  if (UNAVAILABLE.has(name)) return 'unavailable';
  if ((sdkRetries(e, name) && !QUOTA.has(name)) || SERVER_FAULTS.has(name) || isNetworkError(err)) {
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

/** (`ecs`, `DescribeServicesCommand`) → `ecs:DescribeServices`, the IAM action a policy must allow. */
export function iamAction(service: AwsService, operation: string): string {
  return `${service}:${operation.replace(/Command$/, '')}`;
}

/** The error's message on one line: AWS messages may carry line breaks, a log line must not. */
export function oneLineMessage(err: unknown): string {
  return errorMessage(err).replace(/\s+/g, ' ');
}

/** `ClientException: The service is not active.`: the error's name and its message, on one line. */
export function describeAwsError(err: unknown): string {
  return `${errorName(err)}: ${oneLineMessage(err)}`;
}

/** `Access denied updating X: allow ecs:UpdateService (…what AWS said…)`: the line for a denied call. */
export function accessDenied(doing: string, action: string, err: unknown): UserError {
  return new UserError(`Access denied ${doing}: allow ${action} (${oneLineMessage(err)})`);
}

/** Which call an error came from, as aws/clients.ts records it on every client's errors. */
interface CallContext {
  service: string;
  operation: string;
  endpoint: string | undefined;
}

function callOf(err: unknown): CallContext | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const call = (err as { $call?: unknown }).$call;
  return typeof call === 'object' && call !== null ? (call as CallContext) : undefined;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const NO_CREDENTIALS =
  'add aws-actions/configure-aws-credentials before this step, or set role-to-assume on it (the job needs `permissions: id-token: write`)';

// Node's codes for a certificate chain it does not trust: never worth a retry, always a missing CA.
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/**
 * A fault of the step's environment rather than of its inputs, in words with the fix: no credentials,
 * expired or rejected credentials, an endpoint that does not answer (which service, operation, endpoint;
 * a host that does not exist usually means a wrong region), an answer that is not AWS's. Undefined for
 * anything else, which keeps its own description.
 */
export function describeEnvironmentFault(err: unknown, region: string): UserError | undefined {
  // Already the line a person reads (a failed renewal says it was refused as expired: not this fault).
  if (typeof err !== 'object' || err === null || err instanceof UserError) return undefined;
  const name = errorName(err);
  const message = oneLineMessage(err);
  const call = callOf(err);
  const what = call ? `${call.service} ${call.operation}` : 'the AWS call';
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new UserError(`No AWS credentials${call ? ` for ${what}` : ''}: ${NO_CREDENTIALS}.`);
  }
  if (EXPIRED.has(name) || /(?:token|credentials?)\b.*\bexpired/i.test(message)) {
    return new UserError(
      `The AWS credentials have expired (${name} on ${what}): give the step fresh ones — configure-aws-credentials' role-duration-seconds must cover the whole job, or use role-to-assume, which the step renews.`,
    );
  }
  if (REJECTED.has(name)) {
    return new UserError(
      `AWS did not accept the credentials (${name} on ${what}: ${message}): check the keys or role the job gives this step, and that aws-region '${region}' is one the account uses.`,
    );
  }
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : name;
  if (call && UNTRUSTED_CERTIFICATE.has(code)) {
    const host = call.endpoint?.replace(/^https?:\/\//, '') ?? 'its endpoint';
    return new UserError(
      `AWS endpoint ${host} presented a TLS certificate this runner does not trust (${code} on ${what}); if a private CA or a TLS-inspecting proxy signed it, set AWS_CA_BUNDLE (or NODE_EXTRA_CA_CERTS) to the CA's PEM file.`,
    );
  }
  if (call && (code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    return new UserError(
      `${call.service} did not answer ${call.operation}: ${call.endpoint ?? 'its endpoint'} is not a host anyone knows (${code}). Is aws-region '${region}' a real region, and AWS_ENDPOINT_URL_* (if set) right?`,
    );
  }
  if (call && (isNetworkError(err) || name === 'TimeoutError' || name === 'AbortError')) {
    return new UserError(
      `${call.service} did not answer ${call.operation} at ${call.endpoint ?? 'its endpoint'} (${code}, after retries): check the runner's network, its proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL_* settings.`,
    );
  }
  if (call && name === 'SyntaxError') {
    const status = (err as AwsLikeError).$metadata?.httpStatusCode;
    return new UserError(
      `${call.service} answered ${call.operation} at ${call.endpoint ?? 'its endpoint'} with something that is not AWS's answer${typeof status === 'number' ? ` (HTTP ${status})` : ''}: is AWS_ENDPOINT_URL_* (or a proxy) pointing somewhere else?`,
    );
  }
  return undefined;
}
