// docker verifying the sandbox registry's certificate, as it verifies a private registry's. dockerd counts every
// registry on 127.0.0.0/8 as insecure: no certificate check, /etc/docker/certs.d ignored. So the registry's TLS
// front listens on a local address outside that range, and its CA goes where dockerd looks for it per host.
import { access, constants, copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { isRoot } from './dockerd.js';
import { run } from './proc.js';

/** TEST-NET-1 (RFC 5737), never routed: assigned to lo, reached only on this machine. */
export const REGISTRY_ADDRESS = '192.0.2.2';
/** dockerd reads `<dir>/<host:port>/ca.crt` on every connection to that registry: no restart needed. */
const DOCKER_CERTS_DIR = '/etc/docker/certs.d';
/** The one place the preparation is spelled; .ci/run runs it too. */
const PREPARE_SCRIPT = join(import.meta.dirname, 'prepare-host.sh');

const hasAddress = (): boolean =>
  Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === REGISTRY_ADDRESS));

async function writable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What this machine lacks for a registry docker verifies, in words; empty when prepared. */
async function missingDockerTrust(): Promise<string[]> {
  return [
    ...(hasAddress() ? [] : [`the address ${REGISTRY_ADDRESS} on lo`]),
    ...((await writable(DOCKER_CERTS_DIR)) ? [] : [`${DOCKER_CERTS_DIR} writable by this user`]),
  ];
}

/**
 * Makes sure the registry can be one docker verifies. Root prepares the machine itself; anyone else gets one
 * line naming what is missing and the command that prepares it. Never a quiet fall-back to loopback, where
 * docker would push without checking anything.
 */
export async function prepareDockerTrust(
  root = isRoot(),
  lacks: () => Promise<string[]> = missingDockerTrust,
): Promise<void> {
  let missing = await lacks();
  if (missing.length === 0) return;
  let failed = '';
  if (root) {
    failed = await run('bash', [PREPARE_SCRIPT]).then(
      () => '',
      (err: Error) => ` (it failed here: ${err.message.replace(/\s+/g, ' ').trim()})`,
    );
    missing = await lacks();
    if (missing.length === 0) return;
  }
  throw new Error(
    `The sandbox registry needs ${missing.join(' and ')}, so that docker verifies its TLS certificate: as root, run bash ${PREPARE_SCRIPT}${failed}.`,
  );
}

export interface DockerTrust {
  /** `/etc/docker/certs.d/<host>/ca.crt`: the CA dockerd trusts for this registry. */
  file: string;
  /** Takes the registry's directory away again: nothing is left in certs.d. */
  remove(): Promise<void>;
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, REGISTRY_ADDRESS);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * A sandbox killed outright (SIGKILL: its registry dies with it, by pdeathsig) could not remove its CA: the
 * next registry takes away every one whose port nobody listens on, so certs.d does not fill up with them. A
 * registry writes its directory only once it listens, so one starting now is never taken for dead.
 */
export async function sweepDeadTrust(): Promise<void> {
  const entries = await readdir(DOCKER_CERTS_DIR).catch(() => [] as string[]);
  for (const entry of entries) {
    const prefix = `${REGISTRY_ADDRESS}:`;
    const port = entry.startsWith(prefix) ? Number(entry.slice(prefix.length)) : 0;
    if (!port || (await listening(port))) continue;
    // Another user's leftover may not be ours to remove: that is theirs to sweep.
    await rm(join(DOCKER_CERTS_DIR, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Trusts `caFile` for `host` (`192.0.2.2:PORT`) in dockerd, as a user trusts a private registry's CA. */
export async function trustInDocker(host: string, caFile: string): Promise<DockerTrust> {
  const dir = join(DOCKER_CERTS_DIR, host);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'ca.crt');
  await copyFile(caFile, file);
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
