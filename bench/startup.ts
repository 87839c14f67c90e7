import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { figure, type Figure } from './results-file.js';

function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Start-up: `node dist/index.js` until it fails on a missing input, against bare `node -e 0`, interleaved
 * run by run so both see the same machine load.
 */
export async function startupFigures(root: string, runs = 31): Promise<Figure[]> {
  const entry = join(root, 'dist', 'index.js');
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: '', GITHUB_STATE: '' };
  const ours: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < 3; i++) timeOnce([entry], env); // warm the file cache
  for (let i = 0; i < runs; i++) {
    ours.push(timeOnce([entry], env));
    peer.push(timeOnce(['-e', '0'], env));
  }
  const bytes = (await stat(entry)).size;
  return [
    figure('startup_ms', median(ours), 'ms', 'node -e 0', median(peer)),
    figure('bundle_bytes', bytes, 'bytes', 'budget 1.5 MiB', 1.5 * 1024 * 1024),
  ];
}
