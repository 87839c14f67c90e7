// A real forward proxy for the tests: Debian's tinyproxy on loopback, its log read back so a test can say
// which requests went through it.
import { connect } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDaemon, stopDaemon, waitReady, which } from './proc.js';

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`, for HTTP_PROXY / HTTPS_PROXY. */
  url: string;
  /** Every request it forwarded, as tinyproxy logs it: `POST http://127.0.0.1:PORT/ HTTP/1.1`, `CONNECT host:443 …`. */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

export async function startForwardProxy(): Promise<ForwardProxy> {
  const binary = which('tinyproxy');
  if (!binary) throw new Error('tinyproxy is not installed (apt-get install tinyproxy)');
  const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-proxy-'));
  const logFile = join(dir, 'access.log');
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    `LogFile "${logFile}"`,
    'LogLevel Connect',
    'MaxClients 100',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    // CONNECT to any port (HTTPS endpoints of the tests are on high ports).
    '',
  ].join('\n');
  await writeFile(join(dir, 'tinyproxy.conf'), config);
  await writeFile(logFile, '');
  // -d: stay in the foreground, as a child the test can stop.
  const daemon = startDaemon(binary, ['-d', '-c', join(dir, 'tinyproxy.conf')]);
  try {
    await waitReady('tinyproxy', daemon, () => accepts(port));
  } catch (err) {
    await stopDaemon(daemon, 2000);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    requests: async () =>
      (await readFile(logFile, 'utf8'))
        .split('\n')
        .map((line) => /Request \(file descriptor \d+\): (.*)$/.exec(line)?.[1])
        .filter((r): r is string => r !== undefined),
    stop: async () => {
      await stopDaemon(daemon, 5000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
