// ncc writes one licence text per bundled package: the same Apache-2.0 text thirty times over. Every
// package stays named; each distinct text is written once, under the names of all packages it covers.
import { readFile, writeFile } from 'node:fs/promises';

/** Splits ncc's `name\nlicense\ntext` entries (joined by blank lines) at lines naming an installed package. */
export function parseLicenses(text, packageNames) {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, i) =>
    packageNames.has(line) && (i === 0 || lines[i - 1] === '') && i + 1 < lines.length ? [i] : [],
  );
  if (starts[0] !== 0) throw new Error('licenses: the file does not start with a package name');
  const entries = starts.map((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] - 1 : lines.length;
    return { name: lines[start], license: lines[start + 1], text: lines.slice(start + 2, end) };
  });
  // The split must account for every byte, or a text would be lost or cut.
  const joined = entries.map((e) => [e.name, e.license, ...e.text].join('\n')).join('\n\n');
  if (joined !== text) throw new Error('licenses: the entries do not add up to the file');
  return entries;
}

export function renderLicenses(entries) {
  const groups = new Map();
  for (const e of entries) {
    const key = [e.license, ...e.text].join('\n');
    groups.set(key, [...(groups.get(key) ?? []), e.name]);
  }
  return [...groups].map(([key, names]) => `${names.join('\n')}\n${key}`).join('\n\n');
}

export async function dedupeLicenses(path, lockPath = 'package-lock.json') {
  const lock = JSON.parse(await readFile(lockPath, 'utf8'));
  const names = new Set(
    Object.keys(lock.packages)
      .filter((p) => p !== '')
      .map((p) => p.replace(/^.*node_modules\//, '')),
  );
  await writeFile(path, renderLicenses(parseLicenses(await readFile(path, 'utf8'), names)));
}
