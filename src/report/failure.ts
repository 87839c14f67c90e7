import { errorMessage, UserError } from '../errors.js';
import { command } from './log.js';

/** The one line a person reads for a failure; AWS and docker errors keep their error name. */
export function failureLine(err: unknown): string {
  if (err instanceof UserError) return err.message;
  const name = err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${name}${errorMessage(err)}`;
}

/**
 * What `core.setFailed` does: an `::error::` annotation and a failing exit code. The stack is only for us,
 * so it goes to the debug log, and only for errors that are not the user's to fix.
 */
export function reportFailure(err: unknown): void {
  process.exitCode = 1;
  command('error', failureLine(err));
  if (!(err instanceof UserError) && err instanceof Error && err.stack) command('debug', err.stack);
}
