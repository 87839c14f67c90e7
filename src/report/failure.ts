import { errorMessage, UserError } from '../errors.js';

// The same escaping @actions/core applies to workflow-command data. It is repeated here (and not imported)
// because loading @actions/core costs ~60 ms, more than the rest of a failed start-up together.
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

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
export function reportFailure(
  err: unknown,
  write: (text: string) => void = (t) => process.stdout.write(t),
): void {
  process.exitCode = 1;
  write(`::error::${escapeData(failureLine(err))}\n`);
  if (!(err instanceof UserError) && err instanceof Error && err.stack)
    write(`::debug::${escapeData(err.stack)}\n`);
}
