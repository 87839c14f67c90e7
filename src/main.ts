import { reportFailure } from './report/failure.js';
import { readInputs, type Inputs } from './inputs.js';

/**
 * Inputs are validated before anything heavy loads: @actions/core, the AWS SDK and the stages come in
 * through a dynamic import, so a misconfigured step fails in milliseconds and start-up stays close to bare
 * `node`.
 */
export async function run(): Promise<void> {
  let inputs: Inputs;
  try {
    inputs = readInputs();
  } catch (err) {
    reportFailure(err);
    return;
  }
  try {
    const { ship } = await import('./pipeline.js');
    await ship(inputs);
  } catch (err) {
    reportFailure(err);
  }
}
