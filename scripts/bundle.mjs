// The build the runner executes, in one place: `npm run bundle` writes it to dist/, and the tests' global
// setup (cachedBundle) builds the same thing from the working tree so an e2e never runs a stale dist/.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dedupeLicenses } from './dedupe-licenses.mjs';
import { minifyChunks } from './minify-chunks.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'ecs-ship-dist');

function ncc(args) {
  const bin = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, 'build', ...args, '--quiet'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`ncc build ${args[0]} exited ${code}`)),
    );
  });
}

/** The main entry with its chunks and licences, and the post step (its own tiny bundle, no chunks). */
export async function bundle(out) {
  await rm(out, { recursive: true, force: true });
  const main = async () => {
    await ncc(['src/index.ts', '-o', out, '--minify', '--transpile-only', '--license', 'licenses.txt']);
    await minifyChunks(out);
    await dedupeLicenses(join(out, 'licenses.txt'), join(ROOT, 'package-lock.json'));
  };
  const post = () => ncc(['src/post.ts', '-o', join(out, 'cleanup'), '--minify', '--transpile-only']);
  await Promise.all([main(), post()]);
}

async function files(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Everything the bundle is made from: the sources, the build scripts and the installed dependencies. */
async function inputsKey() {
  const paths = [
    ...(await files(join(ROOT, 'src'))),
    ...(await files(join(ROOT, 'scripts'))),
    ...['package.json', 'package-lock.json', 'tsconfig.json', 'node_modules/.package-lock.json'].map((p) =>
      join(ROOT, p),
    ),
  ].sort();
  const hash = createHash('sha256');
  for (const path of paths)
    hash
      .update(`${relative(ROOT, path)}\0`)
      .update(await readFile(path))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Keeps the newest few builds: a branch switch back and forth costs no rebuild. */
async function prune(keep) {
  const dirs = await readdir(CACHE).catch(() => []);
  const dated = await Promise.all(dirs.map(async (d) => ({ d, t: (await stat(join(CACHE, d))).mtimeMs })));
  for (const { d } of dated.sort((a, b) => b.t - a.t).slice(keep)) {
    await rm(join(CACHE, d), { recursive: true, force: true });
  }
}

/** Moves a finished build into the cache; when another run got there first, theirs is as good. */
async function store(building, dir) {
  await mkdir(CACHE, { recursive: true });
  await rename(building, dir).catch(async (err) => {
    await rm(building, { recursive: true, force: true });
    if (!(await exists(dir))) throw err;
  });
  await prune(3);
}

/**
 * A bundle of the working tree as it is now, built only when its inputs changed since the last build.
 * `npm run bundle` leaves a copy here, so the usual "bundle, then test" costs one build, not two.
 */
export async function cachedBundle() {
  const dir = join(CACHE, await inputsKey());
  if (await exists(join(dir, 'cleanup', 'index.js'))) return dir;
  const building = `${dir}.${process.pid}.tmp`;
  await bundle(building);
  await store(building, dir);
  return dir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = resolve(process.argv[2] ?? 'dist');
  await bundle(out);
  const dir = join(CACHE, await inputsKey());
  if (!(await exists(dir))) {
    await cp(out, `${dir}.${process.pid}.tmp`, { recursive: true });
    await store(`${dir}.${process.pid}.tmp`, dir);
  }
}
