import * as core from '@actions/core';

/** Remembered for the post step, which runs even when this step fails (to undo a docker login). */
export function saveState(name: string, value: string): void {
  core.saveState(name, value);
}
