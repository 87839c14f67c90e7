import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { SANDBOX_USER } from '../../sandbox/iam.js';
import { Sha256 } from '../../sandbox/sigv4.js';
import type { RegistryProcess } from '../../sandbox/registry.js';

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

// What a test puts into the registry goes through its own plain-HTTP listener: this jest process cannot
// trust the test CA (NODE_EXTRA_CA_CERTS is read when node starts); the action and docker go over TLS.

function authHeader(registry: RegistryProcess): string {
  return `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
}

async function putBlob(registry: RegistryProcess, repository: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`${registry.plainUrl}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
    headers: { authorization: authHeader(registry) },
  });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
  const location = new URL(start.headers.get('location') ?? '', registry.plainUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { authorization: authHeader(registry), 'content-type': 'application/octet-stream' },
    body: data,
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  return digest;
}

/** Pushes a one-layer image over the registry API (no docker needed); returns its manifest digest. */
export async function pushTinyImage(
  registry: RegistryProcess,
  repository: string,
  tag: string,
): Promise<string> {
  const layer = Buffer.from(`layer of ${repository}:${tag} ${Date.now()}`);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: await putBlob(registry, repository, config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: await putBlob(registry, repository, layer),
          size: layer.length,
        },
      ],
    }),
  );
  const res = await fetch(`${registry.plainUrl}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: {
      authorization: authHeader(registry),
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
    },
    body: manifest,
  });
  if (res.status !== 201) throw new Error(`manifest upload: ${res.status} ${await res.text()}`);
  return sha256(manifest);
}

/** Polls `check` every 50 ms until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, limitMs = 20000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The access key every sandbox test signs with (tests that deny one key name it): SANDBOX_USER's. */
export const TEST_ACCESS_KEY = SANDBOX_USER.accessKeyId;

/** SDK client settings that reach a sandbox, for any of its services' clients. */
export function sandboxClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: SANDBOX_USER.accessKeyId, secretAccessKey: SANDBOX_USER.secretAccessKey },
  };
}

/**
 * A raw AWS JSON request (for bodies the SDK would never send), SigV4-signed with SANDBOX_USER's keys by
 * the SDK's own signer, since the sandbox refuses unsigned calls as AWS does.
 */
export async function signedFetch(
  endpoint: string,
  target: string,
  body: string,
  service = 'ecs',
): Promise<Response> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: SANDBOX_USER,
    region: 'us-east-1',
    service,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'x-amz-target': target,
      'content-type': 'application/x-amz-json-1.1',
    },
    body,
  });
  return fetch(endpoint, { method: 'POST', headers: signed.headers, body });
}
