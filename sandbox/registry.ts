import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, run, startDaemon, stopDaemon, waitReady, which } from './proc.js';
import { prepareDockerTrust, REGISTRY_ADDRESS, sweepDeadTrust, trustInDocker } from './docker-trust.js';
import { makeTestCertificates, startTlsFront } from './tls.js';

export interface RegistryProcess {
  /**
   * The registry as clients reach it (image references, ECR's proxyEndpoint): 192.0.2.2:PORT with TLS, an
   * address docker does not count as insecure (docker-trust.ts); 127.0.0.1:PORT with `tls: false`.
   */
  host: string;
  /** https://host (http://host with `tls: false`). */
  url: string;
  /** The registry's own plain-HTTP listener behind the TLS front, for the sandbox's reads of what it holds. */
  plainUrl: string;
  /** The test CA's PEM file when the registry speaks TLS: NODE_EXTRA_CA_CERTS for clients that trust it. */
  caFile: string | undefined;
  /**
   * With TLS: `/etc/docker/certs.d/<host>/ca.crt`, where dockerd finds the CA (removed by stop()). A test may
   * put another CA there, or none, to see a push docker does not trust.
   */
  dockerCaFile: string | undefined;
  username: 'AWS';
  password: string;
  rootDir: string;
  /**
   * Where the TLS front sends each new connection: the registry itself unless told otherwise (the sandbox's
   * ECR front, in policy mode). Without TLS there is no front, and this does nothing.
   */
  route(upstream: (registryPort: number) => number): void;
  stop(): Promise<void>;
}

/**
 * The real CNCF distribution registry as a child process. With auth (the default) it wants HTTP basic
 * auth as user AWS, which is what an ECR token decodes to, so `docker login` works as against ECR. With
 * TLS (the default), clients reach it over HTTPS, as ECR is reached, with a certificate from a test CA made
 * at start-up: trusted through NODE_EXTRA_CA_CERTS (`caFile`) and docker's certs.d (`dockerCaFile`), as a
 * user trusts a private registry's CA. A machine not prepared for that (prepare-host.sh) fails in one line.
 */
export async function startRegistry(opts: { auth?: boolean; tls?: boolean } = {}): Promise<RegistryProcess> {
  const binary = which('docker-registry') ?? which('registry');
  if (!binary) throw new Error('docker-registry is not installed (apt-get install docker-registry)');
  const tls = opts.tls ?? true;
  // Before anything is started: a machine docker cannot verify the registry on fails at once.
  if (tls) {
    await prepareDockerTrust();
    await sweepDeadTrust();
  }
  const rootDir = await mkdtemp(join(tmpdir(), 'ecs-ship-registry-'));
  const password = randomBytes(24).toString('base64url');
  try {
    const auth = opts.auth ?? true;
    if (auth) {
      const htpasswd = which('htpasswd');
      if (!htpasswd) throw new Error('htpasswd is not installed (apt-get install apache2-utils)');
      // -i: the password comes on stdin, never argv.
      await run(htpasswd, ['-B', '-i', '-c', join(rootDir, 'htpasswd'), 'AWS'], password);
    }
    // Another process can take a port between freePort() and the bind: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const host = `127.0.0.1:${port}`;
      const config = {
        version: 0.1,
        log: { level: 'warn', accesslog: { disabled: true } },
        storage: { filesystem: { rootdirectory: join(rootDir, 'data') }, delete: { enabled: true } },
        // Relative Location headers: behind the TLS front, absolute ones would name the wrong scheme.
        http: { addr: host, secret: randomBytes(16).toString('hex'), relativeurls: true },
        ...(auth ? { auth: { htpasswd: { realm: 'basic-realm', path: join(rootDir, 'htpasswd') } } } : {}),
      };
      const configFile = join(rootDir, 'config.yml');
      await writeFile(configFile, stringify(config));
      const daemon = startDaemon(binary, ['serve', configFile]);
      try {
        await waitReady('docker-registry', daemon, async () => {
          const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
          return res.status === 200 || res.status === 401;
        });
      } catch (err) {
        await stopDaemon(daemon, 2000);
        if (attempt < 3 && /address already in use/.test(daemon.log())) continue;
        throw err;
      }
      let upstream = (registryPort: number) => registryPort;
      const front = tls
        ? await startTlsFront(
            await makeTestCertificates(rootDir, [REGISTRY_ADDRESS]),
            () => upstream(port),
            REGISTRY_ADDRESS,
          )
        : undefined;
      const publicHost = front ? `${REGISTRY_ADDRESS}:${front.port}` : host;
      const caFile = front ? join(rootDir, 'ca.pem') : undefined;
      const trust = caFile
        ? await trustInDocker(publicHost, caFile).catch(async (err: unknown) => {
            await front?.close();
            await stopDaemon(daemon, 5000);
            throw err;
          })
        : undefined;
      return {
        host: publicHost,
        url: `${front ? 'https' : 'http'}://${publicHost}`,
        plainUrl: `http://${host}`,
        caFile,
        dockerCaFile: trust?.file,
        username: 'AWS',
        password,
        rootDir,
        route: (next) => {
          upstream = next;
        },
        stop: async () => {
          await trust?.remove();
          await front?.close();
          await stopDaemon(daemon, 5000);
          await rm(rootDir, { recursive: true, force: true });
        },
      };
    }
  } catch (err) {
    await rm(rootDir, { recursive: true, force: true });
    throw err;
  }
}
