// The README's IAM policies are the files in docs/iam/, shown whole: `npm run readme` writes each file's JSON
// between its markers, and the README test checks they agree. One source, so a policy the e2e proves is the
// policy a reader copies.
//
// Markers (HTML comments, invisible on GitHub):
//   <!-- policy:deploy -->   docs/iam/deploy.json as a ```json block
// each closed by <!-- /policy -->.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const POLICY_DIR = join('docs', 'iam');

// The body may be empty (a marker pair just written by hand); it must not hold another opening marker.
const BLOCK = /(<!-- policy:([a-z0-9-]+) -->\n)((?:(?!<!-- policy:)[\s\S])*?)(^<!-- \/policy -->)/gm;

/** Every policy file by name (`deploy` for docs/iam/deploy.json), parsed: a file that is not JSON throws. */
export async function readPolicyFiles(root: string): Promise<Map<string, unknown>> {
  const dir = join(root, POLICY_DIR);
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const files = new Map<string, unknown>();
  for (const file of names) {
    const text = await readFile(join(dir, file), 'utf8');
    try {
      files.set(file.replace(/\.json$/, ''), JSON.parse(text));
    } catch (err) {
      throw new Error(`${POLICY_DIR}/${file} is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  return files;
}

/** Every policy marker block of `readme` with its file's JSON; a name with no file is an error. */
export function renderPolicies(readme: string, files: Map<string, unknown>): string {
  const opened = readme.match(/^<!-- policy:/gm)?.length ?? 0;
  const closed = readme.match(/^<!-- \/policy -->/gm)?.length ?? 0;
  if (opened !== closed) throw new Error(`README has ${opened} policy markers but ${closed} closing ones`);
  return readme.replace(BLOCK, (_all, open: string, name: string, _body, close: string) => {
    const policy = files.get(name);
    if (policy === undefined)
      throw new Error(`README policy:${name} names no file ${POLICY_DIR}/${name}.json`);
    return `${open}\n\`\`\`json\n${JSON.stringify(policy, null, 2)}\n\`\`\`\n\n${close}`;
  });
}

/** Each policy block of the README: the file it names and the JSON it shows now (undefined: none or not JSON). */
export function policiesInReadme(readme: string): { name: string; shown: unknown }[] {
  return [...readme.matchAll(BLOCK)].map((m) => {
    const json = /```json\n([\s\S]*?)^```/m.exec(m[3] ?? '')?.[1];
    let shown: unknown;
    try {
      shown = json === undefined ? undefined : JSON.parse(json);
    } catch {
      shown = undefined;
    }
    return { name: m[2] ?? '', shown };
  });
}
