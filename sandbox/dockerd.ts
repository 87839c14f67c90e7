import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, stopDaemon, waitReady, which } from './proc.js';

export interface DockerDaemon {
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  /** `started`: our own dockerd, stopped by stop(); `existing`: a daemon that was already running. */
  kind: 'started' | 'existing';
  stop(): Promise<void>;
}

/** What answered (or did not) where the docker CLI would look. */
export interface DaemonProbe {
  /** As DOCKER_HOST spells it: `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`. */
  host: string;
  answers: boolean;
  /** Why it did not answer: ENOENT (no socket), EACCES (not this user's), ECONNREFUSED, … */
  reason: string;
}

const DEFAULT_HOST = 'unix:///var/run/docker.sock';

function ping(host: string): Promise<{ ok: boolean; reason: string }> {
  const target = host.startsWith('unix://')
    ? { socketPath: host.slice('unix://'.length) }
    : (() => {
        const url = new URL(host.replace(/^tcp:/, 'http:'));
        return { host: url.hostname, port: Number(url.port || 2375) };
      })();
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve({ ok: res.statusCode === 200, reason: `HTTP ${res.statusCode}` });
    });
    req.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, reason: err.code ?? err.message }),
    );
    req.once('timeout', () =>
      req.destroy(Object.assign(new Error('no answer in 1 s'), { code: 'ETIMEDOUT' })),
    );
    req.end();
  });
}

/** Asks the daemon the docker CLI would use (DOCKER_HOST, else the default socket) whether it is there. */
export async function probeDockerDaemon(env: NodeJS.ProcessEnv = process.env): Promise<DaemonProbe> {
  const host = env.DOCKER_HOST?.trim() || DEFAULT_HOST;
  if (!/^(unix|tcp):\/\//.test(host))
    return { host, answers: false, reason: 'not a unix:// or tcp:// address' };
  const { ok, reason } = await ping(host);
  return { host, answers: ok, reason };
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** One line: why there is no daemon to use and what would give one. */
export function daemonNeeded(probe: DaemonProbe): string {
  const why =
    probe.reason === 'EACCES'
      ? `this user may not use ${probe.host} (permission denied): add it to the socket's group (usermod -aG docker $USER, then log in again)`
      : `no Docker daemon answers at ${probe.host} (${probe.reason}) and only root can start one: start the system's (as root: dockerd -G docker, or systemctl start docker) and let this user use its socket, set DOCKER_HOST to one that answers, or run as root`;
  return `A Docker daemon is needed: ${why}.`;
}

/**
 * The Docker daemon the sandbox uses. One that already answers (DOCKER_HOST, or /var/run/docker.sock as on
 * a GitHub-hosted runner) is used as it is — only DOCKER_CONFIG is ours, so logins never touch
 * ~/.docker. Otherwise, as root, a dockerd of our own; as anyone else, an error that says what is needed
 * (dockerd cannot run unprivileged here).
 */
export async function openDockerDaemon(
  opts: { env?: NodeJS.ProcessEnv; root?: boolean } = {},
): Promise<DockerDaemon> {
  const probe = await probeDockerDaemon(opts.env);
  if (probe.answers) {
    const config = await mkdtemp(join(tmpdir(), 'ecs-ship-docker-config-'));
    return {
      env: { DOCKER_HOST: probe.host, DOCKER_CONFIG: config },
      kind: 'existing',
      stop: () => rm(config, { recursive: true, force: true }),
    };
  }
  if (!(opts.root ?? isRoot())) throw new Error(daemonNeeded(probe));
  return startDockerd();
}

/**
 * A dockerd of our own, isolated from any on the host: own data and exec roots, a unix socket in a temp
 * dir, vfs storage (works on any filesystem) and no iptables or bridge changes to the host's network.
 */
async function startDockerd(): Promise<DockerDaemon> {
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
    await waitReady('dockerd', daemon, async () => (await ping(`unix://${socket}`)).ok, 30000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { env: { DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: config }, kind: 'started', stop: cleanup };
}
