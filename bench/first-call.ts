import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24 } from '../sandbox/runner.js';
import { figure, median, type Figure } from './results-file.js';

/**
 * first_call_ms: from spawning `node dist/index.js` with a valid input set to the arrival of its first AWS
 * request, at a local stand-in for ECS; against the floor, bench/first-call-floor.mjs (one ECSClient, one
 * DescribeServices) bundled as the action is. Interleaved run by run, medians.
 */

/** Notes when each request arrives and answers like ECS for a service that is not there. */
class FirstRequest {
  private arrived: ((at: bigint) => void) | undefined;
  constructor(readonly server: Server) {
    server.on('request', (req, res) => {
      this.arrived?.(process.hrtime.bigint());
      this.arrived = undefined;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ services: [], failures: [{ arn: 'none', reason: 'MISSING' }] }));
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Milliseconds from spawning the command to its first request; the process is then ended. */
  async time(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
    const arrival = new Promise<bigint>((resolve) => (this.arrived = resolve));
    const start = process.hrtime.bigint();
    const child = spawn(node24(), args, { env, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const at = await Promise.race([arrival, exited.then(() => undefined)]);
    child.kill('SIGKILL');
    await exited;
    if (at === undefined) throw new Error(`${args.join(' ')} exited without an AWS request`);
    return Number(at - start) / 1e6;
  }
}

async function bundleFloor(root: string): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'ecs-ship-floor-'));
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const source = join(root, 'bench', 'first-call-floor.mjs');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(node24(), [ncc, 'build', source, '-o', out, '--minify', '--transpile-only', '-q']);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc exited ${code}`))));
  });
  return join(out, 'index.mjs');
}

export async function firstCallFigures(root: string, runs = 31): Promise<Figure[]> {
  const entry = join(root, 'dist', 'index.js');
  const floor = await bundleFloor(root);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ecs = new FirstRequest(server);
  try {
    const work = await mkdtemp(join(tmpdir(), 'ecs-ship-first-call-'));
    const files = Object.fromEntries(
      ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV'].map((n) => [n, join(work, n)]),
    );
    for (const path of Object.values(files)) await writeFile(path, '');
    // A valid input set: one service, its container's image named (nothing to push), the runner's files.
    const env = {
      PATH: process.env.PATH,
      ...files,
      RUNNER_TEMP: work,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: ecs.endpoint,
      INPUT_SERVICE: 'web',
      INPUT_CONTAINERS: 'web=public.ecr.aws/nginx/nginx:1.27',
    };
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < 3; i++) await ecs.time([entry], env); // warm the file cache
    for (let i = 0; i < runs; i++) {
      ours.push(await ecs.time([entry], env));
      peer.push(await ecs.time([floor], env));
    }
    return [figure('first_call_ms', median(ours), 'ms', 'ECSClient + DescribeServices (ncc)', median(peer))];
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
