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

/** The one line a person reads for a failure: a UserError's message; AWS and docker errors keep their name. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.message;
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
