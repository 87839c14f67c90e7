import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEnvironment } from '../sandbox/environment.js';
import { node24, runAction } from '../sandbox/runner.js';
import { buildTinyImage, createRepositories, sandboxEcs, seedService, waitSteady } from '../sandbox/seed.js';
import { figure, median, type Figure } from './results-file.js';

function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  spawnSync(node24(), args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The files of dist/ that a deploy reads (the entry, every chunk it imports, the post step), recorded by a
 * loader hook while the bundle pushes an image and rolls it out on the sandbox, as a first-time user would.
 */
async function deployLoads(root: string): Promise<string[]> {
  const environment = await startEnvironment({ timeScale: 50, docker: true });
  try {
    const ecs = sandboxEcs(environment.env);
    await seedService(ecs, { service: 'loads', desiredCount: 1 });
    await waitSteady(ecs, 'loads');
    await createRepositories(environment.env, 'loads');
    await buildTinyImage(environment.env, 'loads-app:1');
    const log = join(await mkdtemp(join(tmpdir(), 'ecs-ship-loads-')), 'loaded');
    const { main, post } = await runAction({
      inputs: {
        image: 'loads-app:1',
        repository: 'loads',
        tags: 'v1',
        service: 'loads',
        'poll-seconds': '0.2',
      },
      env: { ...environment.env, ECS_SHIP_LOADS: log },
      nodeArgs: ['--import', join(root, 'bench', 'record-loads.mjs')],
    });
    if (main.code !== 0 || post?.code !== 0) throw new Error(`the recorded deploy failed:\n${main.stdout}`);
    const dist = join(root, 'dist');
    const files = (await readFile(log, 'utf8'))
      .split('\n')
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url))
      .filter((path) => !relative(dist, path).startsWith('..'));
    return [...new Set(files)].sort();
  } finally {
    await environment.stop();
  }
}

async function sizeOf(paths: string[]): Promise<number> {
  const sizes = await Promise.all(paths.map(async (p) => (await stat(p)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Start-up: `node dist/index.js` until it fails on a missing input, against bare `node -e 0`, interleaved
 * run by run so both see the same machine load (both on the node 24 the runner uses). Then the bytes a
 * deploy loads, and all of dist/.
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
  const loaded = await deployLoads(root);
  console.log(`a deploy loads: ${loaded.map((p) => relative(root, p)).join(', ')}`);
  const dist = (await readdir(join(root, 'dist'), { recursive: true })).map((f) => join(root, 'dist', f));
  const distFiles = (await Promise.all(dist.map(async (p) => ((await stat(p)).isFile() ? [p] : [])))).flat();
  return [
    figure('startup_ms', median(ours), 'ms', 'node -e 0', median(peer)),
    figure('bundle_bytes', await sizeOf(loaded), 'bytes', 'budget 1.5 MiB', 1.5 * 1024 * 1024),
    figure('dist_bytes', await sizeOf(distFiles), 'bytes', 'budget 1.2 MB', 1.2e6),
  ];
}
