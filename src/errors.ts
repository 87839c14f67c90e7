// Loaded before the inputs are read (report/failure.ts): nothing here may import the AWS SDK or @actions/core.

/**
 * An error the user can fix (bad input, missing resource, a failed rollout). main.ts prints only its
 * message as one line, never a stack trace.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** One line naming the input, the value given and what was expected. */
export function inputError(input: string, value: string, expected: string): UserError {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return new UserError(`Input '${input}' is '${shown}': expected ${expected}.`);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

// JavaScript's own error types: what the code throws when it meets what it did not expect, never AWS's words.
const LANGUAGE_ERRORS = new Set([
  'Error',
  'TypeError',
  'ReferenceError',
  'SyntaxError',
  'RangeError',
  'EvalError',
  'URIError',
  'AggregateError',
]);

/**
 * An error of ecs-ship itself: a JavaScript error that is neither an AWS answer ($metadata, $response) nor
 * a system call's (`code`: ENOENT, ECONNRESET, …). Its type name means nothing to a user.
 */
function isInternal(err: Error): boolean {
  const e = err as Error & { code?: unknown; $metadata?: unknown; $response?: unknown };
  return LANGUAGE_ERRORS.has(e.name) && typeof e.code !== 'string' && !e.$metadata && !e.$response;
}

/**
 * The one line a person reads for a failure: a UserError's message; AWS and docker errors keep their name;
 * an internal error says so, and where its stack is (report/failure.ts prints it to the debug log).
 */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.message;
  if (err instanceof Error && isInternal(err)) {
    const message = errorMessage(err).replace(/\s+/g, ' ');
    return `ecs-ship hit an internal error (${message}). Rerun the job with debug logging for its stack, and report it.`;
  }
  const name = err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${name}${errorMessage(err)}`;
}

// Node's codes for a connection that failed or broke: worth another try, for an AWS call (aws/errors.ts)
// as for a registry request (image/oci/retry.ts). ENOTFOUND is not here: for a registry it is most often a
// typo in the host; the AWS side has it from the SDK's own classification.
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** A cut, refused or timed-out connection, by the error's `code` (or its name, as some wrappers set it). */
export function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, name } = err as { code?: unknown; name?: unknown };
  return (
    (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) ||
    (typeof name === 'string' && NETWORK_ERROR_CODES.has(name))
  );
}
