import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLayout } from '../src/image/oci/layout.js';
import { pushImage } from '../src/image/oci/push.js';
import { startRegistry } from '../sandbox/registry.js';
import { startFront, writeOciLayout } from '../__tests__/e2e/publish-helpers.js';
import { figure, median, type Figure } from './results-file.js';

/**
 * Push figures, ecs-ship's OCI client against `skopeo copy`, side by side on the same random-layer OCI
 * layouts and the same local registry (behind a counting front). Each push is a process of its own
 * (ecs-ship's bundled into one file, as the action is), timed wall-clock, peak RSS read from /proc.
 */

const MB = 1000 * 1000;

/** The child: push one layout to one repository, print what it sent. */
async function child(): Promise<void> {
  const { layout, host, repository } = JSON.parse(process.env.ECS_SHIP_PUSH_CHILD ?? '{}') as Record<
    string,
    string
  >;
  const source = await openLayout(layout ?? '', 'v1', `oci-layout:${layout}:v1`);
  const result = await pushImage(
    source,
    { host: host ?? '', repository: repository ?? '', tags: ['v1'], credentials: undefined, who: 'bench' },
    { log: () => undefined },
  );
  process.stdout.write(JSON.stringify({ bytes: result.bytesUploaded }));
}

interface Run {
  ms: number;
  peakRssMb: number;
}

/** Runs a command, polling /proc for its peak resident set (VmHWM) until it exits. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.stdout.resume();
    const poll = setInterval(() => {
      void readFile(`/proc/${proc.pid}/status`, 'utf8')
        .then((s) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0))))
        .catch(() => undefined);
    }, 20);
    proc.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${command} exited ${code}: ${err.slice(-500)}`));
      else resolve({ ms, peakRssMb: peakKb / 1024 });
    });
  });
}

export async function pushFigures(root: string): Promise<Figure[]> {
  const work = await mkdtemp(join(tmpdir(), 'ecs-ship-bench-push-'));
  const registry = await startRegistry({ auth: false, tls: false });
  const front = await startFront(registry.url);
  try {
    const bundle = join(work, 'child');
    // esbuild (tsx's own bundler): ncc applies the root tsconfig to files outside src/ and refuses.
    await measure(join(root, 'node_modules', '.bin', 'esbuild'), [
      join(root, 'bench', 'push.ts'),
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--minify',
      '--log-level=error',
      `--outfile=${join(bundle, 'index.mjs')}`,
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    ]);
    let n = 0;
    const ours = (layout: string) => {
      const repository = `ours-${n++}`;
      const env = {
        ...process.env,
        ECS_SHIP_PUSH_CHILD: JSON.stringify({ layout, host: front.host, repository }),
      };
      return { repository, run: () => measure(process.execPath, [join(bundle, 'index.mjs')], env) };
    };
    const skopeo = (layout: string, repository = `skopeo-${n++}`) =>
      measure('skopeo', [
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${layout}:v1`,
        `docker://${front.host}/${repository}:v1`,
      ]);

    const figures: Figure[] = [];
    for (const [name, size, runs] of [
      ['push_50mb_s', 50 * MB, 3],
      ['push_500mb_s', 500 * MB, 1],
    ] as const) {
      const a: number[] = [];
      const b: number[] = [];
      let layout = '';
      for (let i = 0; i < runs; i++) {
        // A fresh image per run, skopeo first: skopeo remembers where it saw a blob and would mount it
        // from an earlier run's repository instead of sending it.
        layout = join(work, `${name}-${i}`);
        await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [size] }]);
        b.push((await skopeo(layout)).ms);
        a.push((await ours(layout).run()).ms);
      }
      figures.push(figure(name, median(a) / 1000, 's', 'skopeo copy', median(b) / 1000));

      if (name === 'push_50mb_s') {
        // The same image again into repositories that already have it: blob bytes through the front.
        await skopeo(layout, 'skopeo-again');
        let since = Date.now();
        await skopeo(layout, 'skopeo-again');
        const skopeoBytes = front.uploadedBytes(since);
        const again = ours(layout);
        await again.run();
        since = Date.now();
        await again.run();
        figures.push(
          figure('repush_blob_bytes', front.uploadedBytes(since), 'bytes', 'skopeo copy', skopeoBytes),
        );
      }
      for (let i = 0; i < runs; i++) await rm(join(work, `${name}-${i}`), { recursive: true, force: true });
    }

    const big = join(work, 'gib');
    await writeOciLayout(big, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [1024 * 1024 * 1024] }]);
    const skopeoRss = (await skopeo(big)).peakRssMb;
    const oursRss = (await ours(big).run()).peakRssMb;
    figures.push(figure('push_1gib_peak_rss_mb', oursRss, 'MB', 'skopeo copy', skopeoRss));
    return figures;
  } finally {
    await front.close();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.env.ECS_SHIP_PUSH_CHILD) await child();
