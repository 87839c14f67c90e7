import type { TaskDefinitionDoc } from './load.js';
import { isObject, put } from './json.js';

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

/** A deep copy without null members: console exports write `"healthCheck": null`, which ECS rejects. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== null) put(out, key, withoutNulls(member));
  }
  return out;
}

/**
 * What RegisterTaskDefinition can take: read-only keys and null members (at any depth) removed, every
 * other key and value kept as is — empty strings, zeros, false and empty lists are deliberate settings.
 */
export function cleanTaskDefinition(td: TaskDefinitionDoc): TaskDefinitionDoc {
  const out: TaskDefinitionDoc = {};
  for (const [key, value] of Object.entries(td)) {
    if (READ_ONLY_KEYS.includes(key) || value === null) continue;
    // The task's cpu and memory are strings in the API; `cpu: 256` in YAML means "256".
    const sized = (key === 'cpu' || key === 'memory') && typeof value === 'number' && Number.isInteger(value);
    put(out, key, sized ? String(value) : withoutNulls(value));
  }
  return out;
}

const isEmpty = (v: unknown): boolean =>
  (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

/** The host port ECS would fill in: the container's own with its own network stack, 0 (dynamic) under bridge. */
function defaultHostPort(networkMode: unknown, containerPort: unknown): unknown {
  return networkMode === 'awsvpc' || networkMode === 'host' ? containerPort : 0;
}

function normalizeContainer(container: unknown, networkMode: unknown): unknown {
  if (!isObject(container)) return container;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(container)) {
    if (isEmpty(value)) continue;
    // ECS fills these in on registration; a file that leaves them out means the same thing.
    if ((key === 'cpu' && value === 0) || (key === 'essential' && value === true)) continue;
    if (key === 'portMappings' && Array.isArray(value)) {
      out[key] = value.map((p) => {
        if (!isObject(p)) return p;
        const { protocol, hostPort, ...rest } = p;
        return {
          ...rest,
          ...(protocol === undefined || protocol === 'tcp' ? {} : { protocol }),
          ...(hostPort === undefined || hostPort === defaultHostPort(networkMode, p['containerPort'])
            ? {}
            : { hostPort }),
        };
      });
      continue;
    }
    put(out, key, value);
  }
  return out;
}

/**
 * The form two task definitions are compared in: both cleaned the same way, with what ECS adds on
 * registration (empty lists, cpu 0, essential true, tcp, default host ports) folded away and the task's
 * cpu/memory as strings, so a file and the revision registered from it compare equal.
 */
export function comparable(td: TaskDefinitionDoc): TaskDefinitionDoc {
  const clean = cleanTaskDefinition(td);
  const out: TaskDefinitionDoc = {};
  for (const [key, value] of Object.entries(clean)) {
    if (isEmpty(value)) continue;
    if (key === 'containerDefinitions' && Array.isArray(value)) {
      out[key] = value.map((c) => normalizeContainer(c, clean['networkMode']));
    } else if ((key === 'cpu' || key === 'memory') && typeof value === 'number') {
      out[key] = String(value);
    } else {
      put(out, key, value);
    }
  }
  return out;
}
