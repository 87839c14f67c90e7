// The README's inputs and outputs tables, generated from action.yml: `npm run readme` rewrites every table
// between markers, `npm run readme -- --check` fails when one is stale. Several people add inputs at once;
// after a merge, re-running this settles the tables (action.yml is the one source).
//
// Markers (HTML comments, invisible on GitHub):
//   <!-- toc --> … <!-- /toc -->    the table of contents: every `## ` heading, linked
//   <!-- table:inputs -->           every input, in action.yml's order
//   <!-- table:inputs a b c -->     only these inputs, in this order (a section's own table)
//   <!-- table:outputs -->          every output (or `table:outputs a b`)
// each closed by <!-- /table -->.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { readPolicyFiles, renderPolicies } from './readme-policies.js';

export interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string }>;
}

/**
 * action.yml has no types (GitHub passes every input as a string), so the type a reader needs is read off
 * what the input says it takes. Order matters: `run-task` defaults to `false` but also takes a JSON array.
 */
export function inputType(spec: ActionInput): string {
  const text = spec.description;
  const fallback = String(spec.default ?? '');
  if (/JSON array/.test(text) && /`true`/.test(text)) return 'boolean or JSON array';
  if (/JSON array/.test(text)) return 'JSON array or string';
  if (/^(true|false)$/.test(fallback) || /^'?`true`/.test(text)) return 'boolean';
  if (/per line|comma-separated/i.test(text)) return 'list';
  // A range in parentheses is a number's; "(2 to 64 of letters …)" is a length, not a value.
  const range = /\(\d+(\.\d+)? to \d+(\.\d+)?[),]|\b\d+ to \d+ (seconds|minutes)\b/;
  if (/^\d+(\.\d+)?$/.test(fallback) || range.test(text) || /Defaults? (to )?\d+[.;]/.test(text)) {
    return 'number';
  }
  return 'string';
}

/** A table cell: one line, pipes escaped (GitHub's tables split on them even inside code spans). */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The rows of one marker's table; a name action.yml lacks is an error (a section names a removed input). */
export function tableRows(action: ActionMetadata, kind: 'inputs' | 'outputs', names: string[]): string[][] {
  const all = kind === 'inputs' ? action.inputs : action.outputs;
  const wanted = names.length > 0 ? names : Object.keys(all);
  return wanted.map((name) => {
    const spec = all[name];
    if (!spec) throw new Error(`README table:${kind} names '${name}', which action.yml does not declare`);
    if (kind === 'outputs') return [`\`${name}\``, cell(spec.description)];
    const input = spec as ActionInput;
    const fallback = String(input.default ?? '');
    return [
      `\`${name}\``,
      inputType(input),
      fallback === '' ? '—' : `\`${cell(fallback)}\``,
      input.required === true ? 'yes' : 'no',
      cell(input.description),
    ];
  });
}

const HEADERS = {
  inputs: ['input', 'type', 'default', 'required', 'description'],
  outputs: ['output', 'description'],
};

// The body may be empty (a marker pair just written by hand); it must not hold another opening marker.
const BLOCK =
  /(<!-- table:(inputs|outputs)((?: [a-z0-9-]+)*) -->\n)((?:(?!<!-- table:)[\s\S])*?)(^<!-- \/table -->)/gm;

/** Every marker block of `readme` with its table regenerated from `action`. */
export function renderTables(readme: string, action: ActionMetadata): string {
  const opened = readme.match(/^<!-- table:/gm)?.length ?? 0;
  const closed = readme.match(/^<!-- \/table -->/gm)?.length ?? 0;
  if (opened !== closed) throw new Error(`README has ${opened} table markers but ${closed} closing ones`);
  return readme.replace(
    BLOCK,
    (_all, open: string, kind: 'inputs' | 'outputs', names: string, _body, close: string) => {
      const rows = tableRows(action, kind, names.trim().split(' ').filter(Boolean));
      return `${open}\n${table(HEADERS[kind], rows)}\n\n${close}`;
    },
  );
}

/** Each marker block: what it says it lists and the rows the README has now (cells trimmed). */
export function tablesInReadme(readme: string): { kind: string; names: string[]; rows: string[][] }[] {
  return [...readme.matchAll(BLOCK)].map((m) => {
    const body = m[4] ?? '';
    const lines = body.split('\n').filter((l) => l.trim().startsWith('|'));
    const rows = lines
      .slice(2) // header and separator
      .map((l) =>
        l
          .trim()
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim()),
      );
    return { kind: m[2] ?? '', names: (m[3] ?? '').trim().split(' ').filter(Boolean), rows };
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes; repeats get -1, -2. */
function anchor(title: string, seen: Map<string, number>): string {
  const base = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

const TOC = /(^<!-- toc -->\n)[\s\S]*?(^<!-- \/toc -->)/m;

/**
 * The table of contents between `<!-- toc -->` and `<!-- /toc -->`: every `## ` heading outside code
 * fences, linked to GitHub's anchor. A README without the markers is returned as it is.
 */
export function renderToc(readme: string): string {
  const seen = new Map<string, number>();
  const entries: string[] = [];
  let fenced = false;
  for (const line of readme.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6}) (.+?)\s*#*$/.exec(line);
    if (!heading) continue;
    const title = heading[2] ?? '';
    const id = anchor(title, seen);
    if (heading[1] === '##') entries.push(`- [${title.replace(/[[\]]/g, '\\$&')}](#${id})`);
  }
  return readme.replace(
    TOC,
    (_all, open: string, close: string) => `${open}\n${entries.join('\n')}\n\n${close}`,
  );
}

export async function readActionMetadata(root: string): Promise<ActionMetadata> {
  return parse(await readFile(join(root, 'action.yml'), 'utf8')) as ActionMetadata;
}

async function main(): Promise<void> {
  const root = join(import.meta.dirname, '..');
  const path = join(root, 'README.md');
  const readme = await readFile(path, 'utf8');
  const prettier = await import('prettier');
  const options = { ...(await prettier.resolveConfig(path)), filepath: path };
  const tables = renderToc(renderTables(readme, await readActionMetadata(root)));
  const next = await prettier.format(renderPolicies(tables, await readPolicyFiles(root)), options);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error(
        'README.md tables, contents or policies differ from action.yml and docs/iam: run `npm run readme`.',
      );
      process.exit(1);
    }
    console.log('README.md tables match action.yml.');
    return;
  }
  await writeFile(path, next);
  console.log(next === readme ? 'README.md tables already match action.yml.' : 'README.md tables rewritten.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
