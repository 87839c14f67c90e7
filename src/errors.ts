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
