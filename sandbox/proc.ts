import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** Finds an executable on PATH (plus the sbin directories, where dockerd lives). */
export function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort when the parent exits without stopping what it started (a crash, process.exit). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGTERM');
  });
}

export interface Daemon {
  child: ChildProcess;
  /** The last 16 KB of its output, for error messages. */
  log(): string;
  exited: Promise<number | null>;
}

/**
 * Starts a long-running child. `setpriv --pdeathsig TERM` makes the kernel send SIGTERM if the parent dies
 * (even by SIGKILL), so a killed test run leaves no registry or dockerd behind.
 */
export function startDaemon(command: string, args: string[]): Daemon {
  const setpriv = which('setpriv');
  const [cmd, argv] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-16384);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  live.add(child);
  installExitHook();
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
    child.once('error', (err) => {
      output += `\n${err.message}`;
      live.delete(child);
      resolve(null);
    });
  });
  return { child, log: () => output, exited };
}

/** Polls `ready` until it is true; fails early with the daemon's log if it exits first. */
export async function waitReady(
  name: string,
  daemon: Daemon,
  ready: () => Promise<boolean>,
  timeoutMs = 15000,
): Promise<void> {
  let exited = false;
  void daemon.exited.then(() => (exited = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (exited) throw new Error(`${name} exited during start-up:\n${daemon.log()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${daemon.log()}`);
}

/** SIGTERM, wait for the exit, SIGKILL if it takes longer than `graceMs`. */
export async function stopDaemon(daemon: Daemon, graceMs = 10000): Promise<void> {
  if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) return;
  daemon.child.kill('SIGTERM');
  const timer = setTimeout(() => daemon.child.kill('SIGKILL'), graceMs);
  await daemon.exited;
  clearTimeout(timer);
}

/** Runs a short command with `input` on stdin (so secrets never go on argv). */
export async function run(command: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${out}`)),
    );
    // A command that never reads its stdin may close it first: that is no failure of the command.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
