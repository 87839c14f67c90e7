import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskDefinitionDoc } from './load.js';

/** A family name made safe for a file name; ECS families are [A-Za-z0-9_-] already, files from users may not be. */
function fileSafe(family: unknown): string {
  const raw = typeof family === 'string' ? family : '';
  const safe = raw.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 100);
  return safe === '' ? 'unnamed' : safe;
}

/**
 * Writes the rendered task definition as pretty JSON and returns its path, so later steps (and people
 * reading the log) can see exactly what was registered. The random part keeps parallel jobs on one runner
 * from overwriting each other's file; 'wx' refuses to follow a planted file.
 */
export async function writeRenderedTaskDefinition(td: TaskDefinitionDoc, dir?: string): Promise<string> {
  const target = dir ?? (process.env['RUNNER_TEMP'] || tmpdir());
  await mkdir(target, { recursive: true });
  const path = join(
    target,
    `task-definition-${fileSafe(td['family'])}-${randomBytes(6).toString('hex')}.json`,
  );
  await writeFile(path, `${JSON.stringify(td, null, 2)}\n`, { encoding: 'utf8', flag: 'wx' });
  return path;
}
