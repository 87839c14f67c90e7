import { ROOT_SHAPE, SHAPES } from './shape.generated.js';
import type { MemberShape } from './shape-types.js';
import { isObject, keyPath, own, ownEntries } from './json.js';

/** One value that is not what RegisterTaskDefinition takes: where, what it is, what was expected. */
export interface Mistake {
  path: string;
  /** undefined: the member is missing. */
  value: unknown;
  expected: string;
}

// Smithy's Integer is 32 bits; a larger number would not survive ECS's parser either.
const INT_MAX = 2 ** 31 - 1;

/** A value as a person reads it in one line: JSON, shortened; line breaks stay escaped. */
function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `containerDefinitions[0].essential is "yes": expected true or false` */
export function describeMistake(mistake: Mistake): string {
  const what = mistake.value === undefined ? 'is missing' : `is ${showValue(mistake.value)}`;
  return `${mistake.path} ${what}: expected ${mistake.expected}`;
}

/** What a shape takes, in words. */
function expectedOf(shape: MemberShape): string {
  if (shape === 'string') return 'a string';
  if (shape === 'integer') return 'a whole number';
  if (shape === 'boolean') return 'true or false';
  if ('enum' in shape) return `one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('structure' in shape) return `an object (${shape.structure})`;
  if ('list' in shape) {
    const item = shape.list;
    if (typeof item === 'object' && 'structure' in item) return `a list of ${item.structure} objects`;
    if (typeof item === 'object' && 'enum' in item) return `a list of strings, each ${expectedOf(item)}`;
    return `a list of ${item === 'integer' ? 'whole numbers' : item === 'boolean' ? 'booleans' : 'strings'}`;
  }
  return 'an object of string values';
}

function checkStructure(value: unknown, name: string, path: string, out: Mistake[]): void {
  const shape = SHAPES[name];
  if (!shape) return;
  if (!isObject(value)) {
    out.push({ path: path || '(the document)', value, expected: `an object (${name})` });
    return;
  }
  for (const key of shape.required) {
    if (own(value, key) === undefined) {
      const member = shape.members[key];
      out.push({
        path: keyPath(path, key),
        value: undefined,
        expected: member ? expectedOf(member) : 'a value',
      });
    }
  }
  const set = ownEntries(value).filter(([key, v]) => v !== undefined && Object.hasOwn(shape.members, key));
  if (shape.union && set.length !== 1) {
    const keys = Object.keys(shape.members).join(', ');
    out.push({ path: path || '(the document)', value, expected: `exactly one of ${keys}` });
  }
  // Unknown keys are validate.ts's to report (allow-unknown-keys may drop them).
  for (const [key, member] of set) {
    const memberShape = shape.members[key];
    if (memberShape) checkValue(member, memberShape, keyPath(path, key), out);
  }
}

function checkValue(value: unknown, shape: MemberShape, path: string, out: Mistake[]): void {
  const wrong = (): void => void out.push({ path, value, expected: expectedOf(shape) });
  if (shape === 'string') {
    if (typeof value !== 'string') wrong();
  } else if (shape === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > INT_MAX) wrong();
  } else if (shape === 'boolean') {
    if (typeof value !== 'boolean') wrong();
  } else if ('enum' in shape) {
    if (typeof value !== 'string' || !shape.enum.includes(value)) wrong();
  } else if ('structure' in shape) {
    checkStructure(value, shape.structure, path, out);
  } else if ('list' in shape) {
    if (!Array.isArray(value)) return wrong();
    value.forEach((item, i) => checkValue(item, shape.list, `${path}[${i}]`, out));
  } else {
    if (!isObject(value)) return wrong();
    for (const [key, item] of ownEntries(value)) checkValue(item, shape.map, keyPath(path, key), out);
  }
}

/**
 * Every value of the document against RegisterTaskDefinition's shape from the SDK's model: the kind of
 * each value, enum values, required members and unions, at every depth. The SDK checks none of it and
 * would send `"essential": "yes"` as it is; ECS would then refuse it after the image was pushed, or
 * (worse) coerce it.
 */
export function findValueMistakes(doc: unknown): Mistake[] {
  const out: Mistake[] = [];
  checkStructure(doc, ROOT_SHAPE, '', out);
  return out;
}
