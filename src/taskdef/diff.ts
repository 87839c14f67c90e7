import { comparable } from './clean.js';
import type { TaskDefinitionDoc } from './load.js';
import { isObject, own } from './json.js';

/** One difference between the current revision and the rendered one. */
export interface Change {
  kind: '+' | '-' | '~';
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Lists whose entries have a unique identity are compared entry by entry; others as a whole. */
function identity(list: unknown[]): { field: string; ids: string[] } | undefined {
  for (const field of ['name', 'key']) {
    const ids = list.map((e) => (isObject(e) && typeof e[field] === 'string' ? (e[field] as string) : ''));
    if (ids.every((id) => id !== '') && new Set(ids).size === ids.length) return { field, ids };
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(before: unknown, after: unknown, path: string, out: Change[]): void {
  if (same(before, after)) return;
  // A list of named entries that appears or disappears is shown entry by entry, like any other change to it.
  if (before === undefined && Array.isArray(after) && identity(after)) before = [];
  if (after === undefined && Array.isArray(before) && identity(before)) after = [];
  if (before === undefined) {
    out.push({ kind: '+', path, after });
    return;
  }
  if (after === undefined) {
    out.push({ kind: '-', path, before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    // Own keys only: `constructor` in one of them must not meet Object.prototype's in the other.
    for (const key of keys)
      walk(own(before, key), own(after, key), path === '' ? key : `${path}.${key}`, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = identity(before);
    const b = identity(after);
    if (a && b && a.field === b.field) {
      const { field } = a;
      const byId = (list: unknown[], id: string): unknown => list.find((e) => isObject(e) && e[field] === id);
      const strip = (entry: unknown): unknown => {
        if (!isObject(entry)) return entry;
        const { [field]: _, ...rest } = entry;
        // Name/value pairs (environment, secrets, tags) read best as their value alone.
        const only = Object.keys(rest);
        return only.length === 1 && (only[0] === 'value' || only[0] === 'valueFrom')
          ? own(rest, only[0])
          : rest;
      };
      for (const id of [...new Set([...a.ids, ...b.ids])]) {
        walk(strip(byId(before, id)), strip(byId(after, id)), `${path}[${id}]`, out);
      }
      if (
        same(
          a.ids.filter((id) => b.ids.includes(id)),
          b.ids.filter((id) => a.ids.includes(id)),
        )
      )
        return;
      out.push({ kind: '~', path: `${path} (order)`, before: a.ids, after: b.ids });
      return;
    }
  }
  out.push({ kind: '~', path, before, after });
}

/**
 * What registering `rendered` would change compared with the service's current revision: both are put
 * in the same comparable form first, so an empty list is the same whether ECS filled it in or not.
 */
export function diffTaskDefinitions(current: TaskDefinitionDoc, rendered: TaskDefinitionDoc): Change[] {
  const out: Change[] = [];
  walk(comparable(current), comparable(rendered), '', out);
  return out;
}

/** Secret references and registry credentials are shown as changed, never with their values. */
const HIDDEN = /(^|\.)(secrets|secretOptions|repositoryCredentials)(\[|\.|$)/;

function show(value: unknown, path: string): string {
  if (HIDDEN.test(path)) return '(hidden)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** One readable line per change, e.g. `~ containerDefinitions[web].image: "a" → "b"`. */
export function formatChanges(changes: Change[]): string[] {
  return changes.map((c) => {
    if (c.kind === '+') return `+ ${c.path}: ${show(c.after, c.path)}`;
    if (c.kind === '-') return `- ${c.path}: ${show(c.before, c.path)}`;
    return `~ ${c.path}: ${show(c.before, c.path)} → ${show(c.after, c.path)}`;
  });
}
