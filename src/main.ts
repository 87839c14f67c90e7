import * as core from '@actions/core';
import { errorMessage, UserError } from './errors.js';
import { readInputs } from './inputs.js';

/**
 * Inputs are validated before anything heavy loads: the AWS SDK and the stages come in through a dynamic
 * import, so a misconfigured step fails in milliseconds and start-up stays close to bare `node`.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const { ship } = await import('./pipeline.js');
    await ship(inputs);
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown): void {
  if (err instanceof UserError) {
    core.setFailed(err.message);
    return;
  }
  // AWS and docker errors are not the user's typo, but their message is still what a person needs; the
  // stack only helps us, so it goes to the debug log.
  const name = err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : '';
  core.setFailed(`${name}${errorMessage(err)}`);
  if (err instanceof Error && err.stack) core.debug(err.stack);
}
