import { readFile, writeFile } from 'node:fs/promises';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  peer: string;
  peer_value: number;
  /** value / peer_value: below 1 means ecs-ship did better (for lower-is-better figures). */
  ratio: number;
}

export function figure(name: string, value: number, unit: string, peer: string, peerValue: number): Figure {
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    name,
    value: round(value),
    unit,
    peer,
    peer_value: round(peerValue),
    ratio: peerValue === 0 ? (value === 0 ? 1 : Infinity) : round(value / peerValue),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Merges figures into results.json by name, so each bench keeps the same names run after run. */
export async function saveFigures(path: string, figures: Figure[]): Promise<Figure[]> {
  let existing: Figure[] = [];
  try {
    existing = (JSON.parse(await readFile(path, 'utf8')) as { figures: Figure[] }).figures;
  } catch {
    existing = [];
  }
  const byName = new Map(existing.map((f) => [f.name, f]));
  for (const f of figures) byName.set(f.name, f);
  const merged = [...byName.values()];
  await writeFile(path, `${JSON.stringify({ figures: merged }, null, 2)}\n`);
  return merged;
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.peer,
    `${f.peer_value} ${f.unit}`,
    `${f.ratio}`,
  ]);
  const header = ['figure', 'ecs-ship', 'peer', 'peer value', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
