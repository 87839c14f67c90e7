import { ROOT_SHAPE, SHAPES } from './shape.generated.js';
import type { MemberShape } from './shape-types.js';
import { isObject, keyPath, ownEntries } from './json.js';

/** One key RegisterTaskDefinition does not have, where it is, and the valid name it most resembles. */
export interface UnknownKey {
  path: string;
  /** The same place as keys and indexes, for dropping it. */
  at: Array<string | number>;
  key: string;
  suggestion: string | undefined;
  /** Shapes where the key would be valid, when it is misplaced rather than misspelled. */
  belongsIn: string[];
}

/** Edit distance with adjacent transpositions (the commonest typo), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(s.length, t.length);
}

/** The closest valid key, if it is close enough to be a plausible typo. */
export function nearest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function shapesHaving(key: string): string[] {
  return Object.entries(SHAPES)
    .filter(([, shape]) => Object.hasOwn(shape.members, key))
    .map(([name]) => name);
}

/** The structure a member holds, directly or as a list's items; undefined for a leaf or a free-form map. */
export function structureOf(shape: MemberShape | undefined): string | undefined {
  if (shape === undefined || typeof shape === 'string') return undefined;
  if ('structure' in shape) return shape.structure;
  if ('list' in shape) return structureOf(shape.list);
  return undefined;
}

/**
 * Every key of the document checked against RegisterTaskDefinition's shape, as the SDK would silently
 * drop what it does not know. Only own keys count: `constructor` or `__proto__` is as unknown as any
 * typo. Values of the wrong kind are values.ts's to report; free-form maps (dockerLabels, options) have
 * no key table.
 */
export function findUnknownKeys(
  doc: unknown,
  shape = ROOT_SHAPE,
  path = '',
  at: Array<string | number> = [],
): UnknownKey[] {
  const members = SHAPES[shape]?.members;
  if (!members) return [];
  if (Array.isArray(doc)) {
    return doc.flatMap((item, i) => findUnknownKeys(item, shape, `${path}[${i}]`, [...at, i]));
  }
  if (!isObject(doc)) return [];
  const found: UnknownKey[] = [];
  for (const [key, value] of ownEntries(doc)) {
    const where = keyPath(path, key);
    if (!Object.hasOwn(members, key)) {
      const suggestion = nearest(key, Object.keys(members));
      const belongsIn = suggestion ? [] : shapesHaving(key);
      found.push({ path: where, at: [...at, key], key, suggestion, belongsIn });
      continue;
    }
    const child = structureOf(members[key]);
    if (child) found.push(...findUnknownKeys(value, child, where, [...at, key]));
  }
  return found;
}

/** "containerDefinitions[1].enviroment: unknown key, did you mean environment?" */
export function describeUnknownKey(unknown: UnknownKey): string {
  if (unknown.suggestion) return `${unknown.path}: unknown key, did you mean ${unknown.suggestion}?`;
  if (unknown.belongsIn.length > 0) {
    return `${unknown.path}: unknown key here (it is a key of ${unknown.belongsIn.join(', ')})`;
  }
  return `${unknown.path}: unknown key`;
}
