import { UserError } from '../errors.js';
import type { ContainerChanges, KeyedChanges } from '../inputs/taskdef.js';
import { cleanTaskDefinition } from './clean.js';
import { containerList, containerNames } from './containers.js';
import type { TaskDefinitionDoc } from './load.js';

export { READ_ONLY_KEYS } from './clean.js';

type Container = Record<string, unknown>;

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

/** What to change: the containers, their images, and the per-step changes (all optional). */
export interface RenderRequest {
  containers: string[];
  /** The pushed image, for containers without an image of their own; undefined when nothing is pushed. */
  image?: string | undefined;
  /** Containers given as `name=IMAGE`. */
  images?: Record<string, string>;
  changes?: ContainerChanges;
}

/**
 * Applies settings to a list of `{name, <field>}` entries: a set replaces the value in place (order kept,
 * so an unchanged re-run renders the same list), a new name is appended, a removal drops every entry.
 */
function applyNamed(list: unknown, change: KeyedChanges, field: string): unknown {
  if (change.set.length === 0 && change.remove.length === 0) return list;
  const entries = (Array.isArray(list) ? list : []).filter(
    (e) => !(typeof e === 'object' && e !== null && change.remove.includes(String((e as Container)['name']))),
  ) as Container[];
  for (const [name, value] of change.set) {
    const found = entries.find((e) => e['name'] === name);
    if (found) found[field] = value;
    else entries.push({ name, [field]: value });
  }
  return entries;
}

function applyMap(map: unknown, change: KeyedChanges): Record<string, unknown> {
  const out = { ...(typeof map === 'object' && map !== null ? (map as Record<string, unknown>) : {}) };
  for (const key of change.remove) delete out[key];
  for (const [key, value] of change.set) out[key] = value;
  return out;
}

function hasAny(change: KeyedChanges): boolean {
  return change.set.length > 0 || change.remove.length > 0;
}

function applyContainerChanges(container: Container, changes: ContainerChanges): void {
  if (hasAny(changes.environment)) {
    container['environment'] = applyNamed(container['environment'], changes.environment, 'value');
  }
  if (hasAny(changes.secrets)) {
    container['secrets'] = applyNamed(container['secrets'], changes.secrets, 'valueFrom');
  }
  if (hasAny(changes.dockerLabels)) {
    container['dockerLabels'] = applyMap(container['dockerLabels'], changes.dockerLabels);
  }
  if (hasAny(changes.logOptions)) {
    const log = container['logConfiguration'];
    if (typeof log !== 'object' || log === null) {
      throw new UserError(
        `Input 'log-configuration-options' cannot apply to container '${String(container['name'])}': ` +
          'it has no logConfiguration (set its logDriver in the task definition).',
      );
    }
    const options = applyMap((log as Container)['options'], changes.logOptions);
    container['logConfiguration'] = { ...(log as Container), options };
  }
  if (changes.command) container['command'] = [...changes.command];
  if (changes.envFiles.length > 0) {
    const files = Array.isArray(container['environmentFiles']) ? [...container['environmentFiles']] : [];
    for (const value of changes.envFiles) {
      if (!files.some((f) => typeof f === 'object' && f !== null && (f as Container)['value'] === value)) {
        files.push({ value, type: 's3' });
      }
    }
    container['environmentFiles'] = files;
  }
}

/**
 * The task definition to register: cleaned (read-only keys and nulls removed), the named containers given
 * their images and the per-step changes, the task-level settings applied. Everything the request does not
 * address is copied untouched, including empty strings and zeros (an empty environment value is a legal,
 * deliberate setting). Pure: the input is never modified.
 */
export function renderTaskDefinition(td: TaskDefinitionDoc, request: RenderRequest): TaskDefinitionDoc {
  const names = containerNames(td);
  const missing = request.containers.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    throw new UserError(
      `Cannot set the image of container(s) ${missing.join(', ')}: not in the task definition (it has: ${names.join(', ')}).`,
    );
  }
  const out = cleanTaskDefinition(td);
  const targets = new Set(request.containers);
  for (const container of containerList(out)) {
    const name = container['name'];
    if (typeof name !== 'string' || !targets.has(name)) continue;
    const image = request.images?.[name] ?? request.image;
    if (image === undefined) throw new Error(`no image for container ${name}`);
    container['image'] = image;
    if (request.changes) applyContainerChanges(container, request.changes);
  }
  const task = request.changes;
  if (task?.cpu !== undefined) out['cpu'] = task.cpu;
  if (task?.memory !== undefined) out['memory'] = task.memory;
  if (task?.taskRoleArn !== undefined) out['taskRoleArn'] = task.taskRoleArn;
  if (task?.executionRoleArn !== undefined) out['executionRoleArn'] = task.executionRoleArn;
  return out;
}
