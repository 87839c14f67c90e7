/**
 * Derives RegisterTaskDefinition's shape from the SDK itself, so the table follows the SDK instead of a
 * hand-kept list: the runtime schema (what @aws-sdk/client-ecs serializes with) gives the keys and the
 * kinds of values; the SDK's type declarations give what the schema leaves out — which members are
 * required and which strings are enums (their values come from the SDK's exported enum objects).
 * Only scripts/gen-taskdef-shape.ts and its test import this; the action loads the generated table.
 */
import type { MemberShape, StructureShape } from './shape-types.js';

type Schema = unknown;

// Smithy schema tuples: [kind, namespace, name, traits, ...]. Kinds: 1 list, 2 map, 3 structure, 4 union.
const LIST = 1;
const MAP = 2;
const STRUCT = 3;
const UNION = 4;
// Simple schemas are numbers; 64 and 128 are the list and map modifiers of one (64 | 0: a list of strings).
const LIST_OF = 0b0100_0000;
const MAP_OF = 0b1000_0000;

/** What the declarations say about one member: required, and the type it names (`NetworkMode`, `string`). */
interface DeclaredMember {
  required: boolean;
  type: string;
}
export type Declarations = Record<string, Record<string, DeclaredMember>>;

/** The members of every `export interface` in the SDK's .d.ts text, as tsc writes them. */
export function readDeclarations(dts: string): Declarations {
  const out: Declarations = {};
  for (const block of dts.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const members: Record<string, DeclaredMember> = {};
    for (const m of (block[2] ?? '').matchAll(/^ {4}(\w+)(\??): (.+);$/gm)) {
      const type = (m[3] ?? '').replace(/ \| undefined$/, '');
      members[m[1] ?? ''] = { required: m[2] !== '?', type };
    }
    out[block[1] ?? ''] = members;
  }
  return out;
}

/** A member schema is a number (simple type), a thunk, a schema tuple, or [thunk, traits]. */
function resolve(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 4; i++) {
    if (typeof s === 'function') s = (s as () => Schema)();
    else if (Array.isArray(s) && s.length === 2 && typeof s[0] === 'function') s = s[0];
    else break;
  }
  return s;
}

function simple(code: number): MemberShape {
  if (code === 0) return 'string';
  if (code === 1) return 'integer';
  if (code === 2) return 'boolean';
  if ((code & LIST_OF) !== 0) return { list: simple(code & ~LIST_OF) };
  if ((code & MAP_OF) !== 0) return { map: simple(code & ~MAP_OF) };
  throw new Error(`simple schema ${code} does not occur in task definitions`);
}

/**
 * Every structure reachable from the root, with each member's shape. `enums` maps an enum's type name to
 * its values (the SDK's exported objects); a string member whose declared type is an enum takes only those.
 */
export function shapeTable(
  root: Schema,
  declarations: Declarations,
  enums: Record<string, unknown>,
): { root: string; shapes: Record<string, StructureShape> } {
  const shapes: Record<string, StructureShape> = {};
  const enumValues = (declared: string | undefined): string[] | undefined => {
    const name = declared?.replace(/\[\]$/, '');
    const values = name ? enums[name] : undefined;
    if (typeof values !== 'object' || values === null) return undefined;
    return Object.values(values).filter((v): v is string => typeof v === 'string');
  };
  const member = (schema: Schema, declared: string | undefined): MemberShape => {
    const s = resolve(schema);
    if (typeof s === 'number') {
      const shape = simple(s);
      const values = enumValues(declared);
      if (!values) return shape;
      if (shape === 'string') return { enum: values };
      if (typeof shape === 'object' && 'list' in shape && shape.list === 'string') {
        return { list: { enum: values } };
      }
      return shape;
    }
    if (!Array.isArray(s)) throw new Error(`unexpected schema ${String(s)}`);
    if (s[0] === STRUCT || s[0] === UNION) return { structure: visit(s) };
    if (s[0] === LIST) return { list: member(s[4], declared?.replace(/\[\]$/, '')) };
    if (s[0] === MAP) return { map: member(s[5], undefined) };
    throw new Error(`unexpected schema kind ${String(s[0])}`);
  };
  const visit = (struct: unknown[]): string => {
    const name = String(struct[2]);
    if (shapes[name]) return name;
    const members: Record<string, MemberShape> = {};
    const entry: StructureShape = { members, required: [], ...(struct[0] === UNION ? { union: true } : {}) };
    shapes[name] = entry;
    const declared = declarations[name] ?? {};
    const names = struct[4] as string[];
    const schemas = struct[5] as Schema[];
    names.forEach((key, i) => {
      members[key] = member(schemas[i], declared[key]?.type);
      if (declared[key]?.required) entry.required.push(key);
    });
    return name;
  };
  const top = resolve(root);
  if (!Array.isArray(top) || top[0] !== STRUCT) throw new Error('root schema is not a structure');
  return { root: visit(top), shapes };
}

/** The generated module's text (prettier formats it afterwards); a test compares its table with the SDK's. */
export function renderShapeModule(
  table: { root: string; shapes: Record<string, StructureShape> },
  sdkVersion: string,
): string {
  const sorted = Object.fromEntries(Object.entries(table.shapes).sort(([a], [b]) => a.localeCompare(b)));
  return [
    `// Generated by scripts/gen-taskdef-shape.ts from @aws-sdk/client-ecs ${sdkVersion}. Do not edit.`,
    "// Each structure's members with the shape of their values, and the members it requires.",
    "import type { StructureShape } from './shape-types.js';",
    '',
    `export const ROOT_SHAPE = '${table.root}';`,
    '',
    `export const SHAPES: Record<string, StructureShape> = ${JSON.stringify(sorted)};`,
    '',
  ].join('\n');
}
