import { UserError } from '../errors.js';
import type { RunTaskInputs } from '../inputs/deploy.js';
import { isObject } from './json.js';
import type { TaskDefinitionDoc } from './load.js';

// The containers of a task definition document, read in one place: rendering, the plan's run-task check
// and the one-off task's verdict all take them from here.

type Container = Record<string, unknown>;

/** The container definitions that are objects (a loaded document has been checked to have only those). */
export function containerList(td: TaskDefinitionDoc): Container[] {
  const list = td['containerDefinitions'];
  if (!Array.isArray(list)) return [];
  return list.filter(isObject);
}

export function containerNames(td: TaskDefinitionDoc): string[] {
  return containerList(td)
    .map((c) => c['name'])
    .filter((n): n is string => typeof n === 'string');
}

/** Each container's name and whether it is essential (ECS's default: yes), for the one-off task's verdict. */
export function containersOf(td: TaskDefinitionDoc): Array<{ name: string; essential: boolean }> {
  return containerList(td).map((c) => ({
    name: String(c['name'] ?? ''),
    essential: c['essential'] !== false,
  }));
}

/**
 * Which container a command override goes to; checked before anything is written. Without
 * `run-task-container` it is the one container that gets the new image.
 */
export function overrideContainer(
  runTask: RunTaskInputs,
  containers: ReadonlyArray<{ name: string }>,
  imageContainers: string[],
): string | undefined {
  if (runTask.command === undefined) return undefined;
  if (runTask.container !== undefined) {
    if (!containers.some((c) => c.name === runTask.container)) {
      throw new UserError(
        `Input 'run-task-container' is '${runTask.container}': expected one of the task definition's ` +
          `containers (${containers.map((c) => c.name).join(', ')}).`,
      );
    }
    return runTask.container;
  }
  if (imageContainers.length !== 1) {
    throw new UserError(
      `Input 'run-task' gives a command, but ${imageContainers.length} containers get the image ` +
        `(${imageContainers.join(', ')}): name the one to run it in with 'run-task-container'.`,
    );
  }
  return imageContainers[0];
}
