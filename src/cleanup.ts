import { errorMessage } from './errors.js';
import { dockerLogout } from './image/docker-cli.js';
import { stepLog } from './report/log.js';

// The main step's own printer (report/log.ts), not @actions/core: core (with undici) would make this
// one-command step half a megabyte.
const { info, warning } = stepLog;

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
