import * as core from '@actions/core';
import { errorMessage } from './errors.js';
import { dockerLogout } from './image/docker.js';

/**
 * The post step: undo the main step's `docker login` so the ECR credential does not stay in the runner's
 * docker config (self-hosted runners keep it across jobs). Cleanup must never turn a green job red, so
 * every failure is only a warning.
 */
export async function run(): Promise<void> {
  try {
    const registry = core.getState('registry');
    if (registry === '') {
      core.info('No docker login to undo.');
      return;
    }
    await dockerLogout(registry);
    core.info(`Logged out of ${registry}.`);
  } catch (err) {
    core.warning(`Post step: could not log out of the registry: ${errorMessage(err)}`);
  }
}

/** Awaited by tests; the runner just lets the process finish. */
export const done: Promise<void> = run();
