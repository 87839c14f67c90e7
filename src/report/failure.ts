import { describeError, UserError } from '../errors.js';
import { command, debugLines } from './log.js';

/**
 * What `core.setFailed` does: an `::error::` annotation and a failing exit code. The stack is only for us,
 * so it goes to the debug log, and only for errors that are not the user's to fix.
 */
export function reportFailure(err: unknown): void {
  process.exitCode = 1;
  command('error', describeError(err));
  if (!(err instanceof UserError) && err instanceof Error && err.stack) debugLines(err.stack);
}
