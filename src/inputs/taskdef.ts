import { matching, parseList, type InputReader } from './parse.js';

/** Where the task definition comes from and what changes in it. */
export interface TaskDefinitionInputs {
  /** Path to a JSON or YAML task definition; undefined means "the service's current revision". */
  source: string | undefined;
  /** Containers that get the pushed image; empty means "the only container of the task definition". */
  containers: string[];
}

export function readTaskDefinitionInputs(read: InputReader): TaskDefinitionInputs {
  const source = read('task-definition').trim();
  const containers = parseList(read('containers'));
  for (const name of containers) {
    matching('containers', name, /^[A-Za-z0-9_-]{1,255}$/, 'container names of letters, digits, _ and -');
  }
  return { source: source === '' ? undefined : source, containers };
}
