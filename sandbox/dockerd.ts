import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, stopDaemon, waitReady, which } from './proc.js';

export interface DockerDaemon {
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  stop(): Promise<void>;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * A dockerd of our own, isolated from any on the host: own data and exec roots, a unix socket in a temp
 * dir, vfs storage (works on any filesystem) and no iptables or bridge changes to the host's network.
 */
export async function startDockerd(): Promise<DockerDaemon> {
  const binary = which('dockerd');
  if (!binary) throw new Error('dockerd is not installed (apt-get install docker.io)');
  const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-dockerd-'));
  const config = await mkdtemp(join(tmpdir(), 'ecs-ship-docker-config-'));
  const socket = join(dir, 'docker.sock');
  const daemon = startDaemon(binary, [
    '--iptables=false',
    '--bridge=none',
    '--storage-driver=vfs',
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'dockerd.pid'),
    '-H',
    `unix://${socket}`,
  ]);
  const cleanup = async () => {
    await stopDaemon(daemon, 15000);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    await rm(config, { recursive: true, force: true });
  };
  try {
    await waitReady('dockerd', daemon, () => ping(socket), 30000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { env: { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: config }, stop: cleanup };
}
