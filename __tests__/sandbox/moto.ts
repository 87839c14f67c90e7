import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** moto (an independent AWS emulator) as a second opinion on what the sandbox answers. */
export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/`);
    return true;
  } catch {
    return false;
  }
}

/**
 * ECS_SHIP_MOTO_URL names a moto server someone else started (.ci/run starts one as root, whose python has
 * moto, for a test user whose PATH does not reach it); else `moto_server` from PATH is started here.
 * moto keeps state per server, so a test resets it before it starts.
 */
export async function startMoto(): Promise<Moto> {
  const given = process.env.ECS_SHIP_MOTO_URL;
  if (given) {
    await fetch(`${given}/moto-api/reset`, { method: 'POST' });
    return { endpoint: given, stop: async () => undefined };
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const spawned = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(
        new Error(
          `moto_server could not start (${e.message}): install moto[server] or set ECS_SHIP_MOTO_URL`,
        ),
      ),
    ),
  );
  const ready = (async () => {
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode}: ${stderr.trim()}`);
      if (await answers(endpoint)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`moto_server did not answer on ${endpoint} in 30 s: ${stderr.trim()}`);
  })();
  await Promise.race([ready, spawned]);
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
