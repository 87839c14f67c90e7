import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';

/** Helpers for publishing tests and the push bench: OCI layouts with random layers and HTTP fronts. */

const MEDIA = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};

interface Desc {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string };
  annotations?: Record<string, string>;
}

async function writeBlob(dir: string, bytes: Buffer, mediaType: string): Promise<Desc> {
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(dir, 'blobs', 'sha256', hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

/** An uncompressed tar holding one file `/data` of `size` random bytes, streamed to disk and hashed. */
async function writeRandomLayer(dir: string, size: number): Promise<Desc> {
  const header = Buffer.alloc(512);
  header.write('data', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const tail = Buffer.alloc(((512 - (size % 512)) % 512) + 1024);

  const tmp = join(dir, 'blobs', 'sha256', `tmp-${randomBytes(4).toString('hex')}`);
  const hash = createHash('sha256');
  const out = createWriteStream(tmp);
  const put = async (buf: Buffer) => {
    hash.update(buf);
    if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await put(header);
  for (let left = size; left > 0; left -= 1 << 20) await put(randomBytes(Math.min(left, 1 << 20)));
  await put(tail);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  const hex = hash.digest('hex');
  await rename(tmp, join(dir, 'blobs', 'sha256', hex));
  return { mediaType: MEDIA.layer, digest: `sha256:${hex}`, size: 512 + size + tail.length };
}

export interface Platform {
  os: string;
  architecture: string;
  /** Random bytes in each layer. */
  layers: number[];
}

/**
 * An OCI image layout with random layers: one manifest, or an index over several platforms. Returns the
 * digest `tag` points at (the manifest or the index).
 */
export async function writeOciLayout(dir: string, tag: string, platforms: Platform[]): Promise<string> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests: Desc[] = [];
  for (const p of platforms) {
    const layers: Desc[] = [];
    for (const size of p.layers) layers.push(await writeRandomLayer(dir, size));
    const config = {
      architecture: p.architecture,
      os: p.os,
      config: { Cmd: ['/data'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    };
    const configDesc = await writeBlob(dir, Buffer.from(JSON.stringify(config)), MEDIA.config);
    const manifest = { schemaVersion: 2, mediaType: MEDIA.manifest, config: configDesc, layers };
    const desc = await writeBlob(dir, Buffer.from(JSON.stringify(manifest)), MEDIA.manifest);
    manifests.push({ ...desc, platform: { os: p.os, architecture: p.architecture } });
  }
  let root: Desc;
  if (manifests.length === 1 && manifests[0]) {
    const { platform: _platform, ...only } = manifests[0];
    root = only;
  } else {
    root = await writeBlob(
      dir,
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests })),
      MEDIA.index,
    );
  }
  const ref = { ...root, annotations: { 'org.opencontainers.image.ref.name': tag } };
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [ref] }));
  return root.digest;
}

interface Recorded {
  method: string;
  path: string;
  userAgent: string;
  at: number;
  /** Request body bytes that reached the registry. */
  bytes: number;
}

export interface Front {
  host: string;
  url: string;
  requests: Recorded[];
  /** Blob upload body bytes the registry received (PATCH/PUT/POST under /blobs/uploads/). */
  uploadedBytes(since?: number): number;
  /** Cut the connection of the next upload request after this many body bytes (once). */
  cutNextUploadAfter: number | undefined;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<{ host: string; url: string }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}` };
}

const isUpload = (method: string, path: string) =>
  method !== 'HEAD' && method !== 'GET' && path.includes('/blobs/uploads/');

/**
 * A reverse proxy in front of a registry that records every request and can cut a connection in the
 * middle of an upload body (a reset, as a flaky network does). `guard` may answer a request itself.
 */
export async function startFront(
  target: string,
  guard?: (
    req: IncomingMessage,
  ) => { status: number; headers: Record<string, string>; body: string } | undefined,
): Promise<Front> {
  const requests: Recorded[] = [];
  const front: Front = {
    host: '',
    url: '',
    requests,
    uploadedBytes: (since = 0) =>
      requests.filter((r) => r.at >= since && isUpload(r.method, r.path)).reduce((n, r) => n + r.bytes, 0),
    cutNextUploadAfter: undefined,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record: Recorded = {
      method,
      path,
      userAgent: String(req.headers['user-agent'] ?? ''),
      at: Date.now(),
      bytes: 0,
    };
    requests.push(record);
    const answer = guard?.(req);
    if (answer) {
      req.resume();
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    // Only a body longer than the cut point can be cut: uploads run in parallel, and a small config blob
    // arriving first must not use up the one cut meant for the layer.
    const length = req.headers['content-length'];
    const cutAt =
      isUpload(method, path) &&
      front.cutNextUploadAfter !== undefined &&
      (length === undefined || Number(length) > front.cutNextUploadAfter)
        ? front.cutNextUploadAfter
        : undefined;
    if (cutAt !== undefined) front.cutNextUploadAfter = undefined;
    // Host kept: the registry builds upload Locations from it, which must point back at the front.
    const headers = { ...req.headers };
    if (String(headers.authorization ?? '').startsWith('Bearer ')) delete headers.authorization;
    const upstream = request(`${target}${path}`, { method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      record.bytes += chunk.length;
      if (cutAt !== undefined && record.bytes > cutAt) {
        upstream.destroy();
        req.socket.resetAndDestroy();
        return;
      }
      upstream.write(chunk);
    });
    req.on('end', () => upstream.end());
  });
  server.keepAliveTimeout = 5000;
  Object.assign(front, await listen(server));
  front.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return front;
}

/**
 * Bearer auth the way Docker Hub and GHCR do it, in front of a registry without auth: a 401 names the
 * token realm, the realm trades Basic credentials for a token, requests carry the token.
 */
export async function startBearerFront(
  target: string,
  user: { username: string; password: string },
): Promise<Front & { tokenRequests: { scopes: string[]; ok: boolean }[] }> {
  const tokens = new Set<string>();
  const tokenRequests: { scopes: string[]; ok: boolean }[] = [];
  let realm = '';
  const front = await startFront(target, (req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
      const ok = req.headers.authorization === expected;
      tokenRequests.push({ scopes: url.searchParams.getAll('scope'), ok });
      if (!ok)
        return {
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: '{"details":"incorrect username or password"}',
        };
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      };
    }
    const sent = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (tokens.has(sent)) return undefined;
    const repo = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
    const scope = repo ? `,scope="repository:${repo}:pull"` : '';
    return {
      status: 401,
      headers: {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="${realm}",service="test-registry"${scope}`,
      },
      body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
    };
  });
  realm = `${front.url}/token`;
  return Object.assign(front, { tokenRequests });
}
