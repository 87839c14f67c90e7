import { UserError } from '../errors.js';
import type { TaskDefinitionDoc } from './load.js';

/** Keys DescribeTaskDefinition returns that RegisterTaskDefinition does not take. */
export const READ_ONLY_KEYS: readonly string[] = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'deregisteredAt',
  'deleteRequestedAt',
  'registeredBy',
];

function containerList(td: TaskDefinitionDoc): Record<string, unknown>[] {
  const list = td['containerDefinitions'];
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null);
}

export function containerNames(td: TaskDefinitionDoc): string[] {
  return containerList(td)
    .map((c) => c['name'])
    .filter((n): n is string => typeof n === 'string');
}

/** The containers that get the new image; `requested` comes from the `containers` input. */
export function resolveContainers(td: TaskDefinitionDoc, requested: string[]): string[] {
  const names = containerNames(td);
  const has = names.length > 0 ? names.join(', ') : 'no named containers';
  if (requested.length === 0) {
    if (names.length === 1) return [...names];
    if (names.length === 0) throw new UserError('The task definition has no named containers to deploy to.');
    throw new UserError(
      `The task definition has ${names.length} containers (${has}): set input 'containers' to the ones that get the new image.`,
    );
  }
  for (const name of requested) {
    if (!names.includes(name)) {
      throw new UserError(
        `Input 'containers' names '${name}', which is not in the task definition (it has: ${has}).`,
      );
    }
  }
  return [...new Set(requested)];
}

/**
 * The task definition to register: read-only keys and top-level nulls (the console's JSON export writes
 * `"ephemeralStorage": null` and the like, which RegisterTaskDefinition rejects) removed, the named
 * containers pointed at `image`. Everything else is copied untouched, including empty strings and zeros,
 * which are meaningful (an empty environment value is a legal, deliberate setting).
 */
export function renderTaskDefinition(
  td: TaskDefinitionDoc,
  change: { containers: string[]; image: string },
): TaskDefinitionDoc {
  const names = containerNames(td);
  const missing = change.containers.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    throw new UserError(
      `Cannot set the image of container(s) ${missing.join(', ')}: not in the task definition (it has: ${names.join(', ')}).`,
    );
  }
  const out: TaskDefinitionDoc = {};
  for (const [key, value] of Object.entries(td)) {
    if (READ_ONLY_KEYS.includes(key) || value === null) continue;
    out[key] = structuredClone(value);
  }
  const targets = new Set(change.containers);
  for (const container of containerList(out)) {
    if (typeof container['name'] === 'string' && targets.has(container['name'])) {
      container['image'] = change.image;
    }
  }
  return out;
}
