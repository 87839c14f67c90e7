import { EOL } from 'node:os';
import { errorMessage } from './errors.js';
import { dockerLogout } from './image/docker-cli.js';
import { escapeData } from './report/failure.js';

// What @actions/core's getState, info and warning do, written out: core (with undici) would make this
// one-command step half a megabyte.
const info = (message: string): boolean => process.stdout.write(`${message}${EOL}`);
const warning = (message: string): boolean => process.stdout.write(`::warning::${escapeData(message)}${EOL}`);

/**
 * The post step: undo the main step's `docker login` so the ECR credential does not stay in the runner's
 * docker config (self-hosted runners keep it across jobs). Cleanup must never turn a green job red, so
 * every failure is only a warning. Runs only when called (post.ts, or a harness that imports it).
 */
export async function run(): Promise<void> {
  try {
    // The runner hands the main step's saved state back as STATE_<name>.
    const registry = process.env.STATE_registry ?? '';
    if (registry === '') {
      info('No docker login to undo.');
      return;
    }
    await dockerLogout(registry);
    info(`Logged out of ${registry}.`);
  } catch (err) {
    warning(`Post step: could not log out of the registry: ${errorMessage(err)}`);
  }
}
