import { readFile, writeFile } from 'node:fs/promises';
import { connect, type Server } from 'node:net';
import { createServer } from 'node:tls';
import { join } from 'node:path';
import { run } from './proc.js';

/** A test CA made at start-up and a server certificate it signed for 127.0.0.1 / localhost (and `ips`). */
export interface TestCertificates {
  /** The CA's PEM file: what NODE_EXTRA_CA_CERTS names for a client that should trust the registry. */
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

const serverExtensions = (ips: string[]): string =>
  [
    `subjectAltName=${['127.0.0.1', ...ips].map((ip) => `IP:${ip}`).join(',')},DNS:localhost`,
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
  ].join('\n');

/** openssl, as a user setting up a private registry would: a CA, a key, a CSR, the signed certificate. */
export async function makeTestCertificates(dir: string, ips: string[] = []): Promise<TestCertificates> {
  const p = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=ecs-ship sandbox test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', [
    'req',
    '-new',
    ...ec,
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(p('server.ext'), serverExtensions(ips));
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.pem'),
    '-days',
    '2',
    '-extfile',
    p('server.ext'),
  ]);
  return { caFile: p('ca.pem'), key: await readFile(p('server.key')), cert: await readFile(p('server.pem')) };
}

/**
 * TLS in front of a plain-HTTP listener on loopback, as a load balancer terminates it in front of a
 * registry: clients see HTTPS on `listenHost:port`; the bytes inside go to `upstreamPort` unchanged.
 */
export async function startTlsFront(
  certs: TestCertificates,
  upstreamPort: number | (() => number),
  listenHost = '127.0.0.1',
): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<{ destroy(): void }>();
  const server: Server = createServer({ key: certs.key, cert: certs.cert }, (socket) => {
    // A function: where the bytes go is decided per connection (the sandbox's ECR front in policy mode).
    const upstream = connect(typeof upstreamPort === 'number' ? upstreamPort : upstreamPort(), '127.0.0.1');
    open.add(socket);
    open.add(upstream);
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
      open.delete(socket);
      open.delete(upstream);
    };
    socket.on('error', end);
    upstream.on('error', end);
    socket.on('close', end);
    upstream.on('close', end);
  });
  // A client that does not trust the CA hangs up during the handshake: that is its business, not ours.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}
