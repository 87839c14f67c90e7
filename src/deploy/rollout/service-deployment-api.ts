import { classifyAwsError, errorName } from '../../aws/errors.js';

/**
 * When the service-deployment API (ListServiceDeployments, DescribeServiceDeployments,
 * DescribeServiceRevisions) counts as missing, so the watcher judges from DescribeServices instead. Pure.
 * LocalStack, moto and partitions without the API answer UnknownOperationException, 501, or a 4xx/5xx page
 * that is not JSON; a 5xx can also be a bad minute, so only several in a row count.
 */

/** Polls in a row whose service-deployment call failed with a 5xx or throttling before it counts as missing. */
const FAILURES_BEFORE_FALLBACK = 3;

interface Failure {
  $metadata?: { httpStatusCode?: unknown };
  message?: unknown;
}

function httpStatus(err: unknown): number | undefined {
  const status = (err as Failure | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The SDK could not read the answer: an HTML error page or any body that is not the protocol's JSON. */
function unparseable(err: unknown): boolean {
  const message = (err as Failure | null)?.message;
  return (
    errorName(err) === 'SyntaxError' || (typeof message === 'string' && /Deserialization error/.test(message))
  );
}

/**
 * Why the API counts as missing after this error (said once in the log), or undefined when the error stands
 * (the poller retries a transient one; any other ends the watch). `action`: the IAM action that failed;
 * `optional`: the search (ListServiceDeployments), which a deploy role may not be allowed; `inARow`: how many
 * polls in a row, this one included, a service-deployment call failed.
 */
export function missingServiceDeployments(
  err: unknown,
  action: string,
  optional: boolean,
  inARow: number,
): string | undefined {
  const status = httpStatus(err);
  const what = `${action}: ${errorName(err)}${status !== undefined ? `, HTTP ${status}` : ''}`;
  const kind = classifyAwsError(err);
  if (kind === 'unavailable' || status === 501 || (kind === 'denied' && optional)) return what;
  const garbled = unparseable(err);
  if (garbled && (status === undefined || status < 500)) return `${what}, not an ECS answer`;
  if ((kind === 'transient' || garbled) && inARow >= FAILURES_BEFORE_FALLBACK) {
    return `${what}, ${inARow} polls in a row`;
  }
  return undefined;
}
