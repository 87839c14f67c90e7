import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { RegistryClient } from '../../../../src/image/oci/client.js';
import { indexTar } from '../../../../src/image/oci/tar.js';
import { DigestMismatchError, uploadBlob } from '../../../../src/image/oci/upload.js';
import { startRegistry, type RegistryProcess } from '../../../../sandbox/registry.js';

// The upload paths against the real distribution registry, with chunk sizes small enough to exercise
// chunking on small blobs.
let registry: RegistryProcess;
let client: RegistryClient;
let dir: string;

beforeAll(async () => {
  // Plain HTTP: this jest process cannot trust the TLS front's test CA (the e2e push over TLS as the runner does).
  registry = await startRegistry({ tls: false });
  client = new RegistryClient({
    host: registry.host,
    credentials: { username: registry.username, password: registry.password },
    who: 'the test login',
  });
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-oci-'));
}, 30_000);

afterAll(async () => {
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const blobOf = (bytes: Buffer) => ({
  mediaType: 'application/octet-stream',
  digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
  size: bytes.length,
});

/** Feeds the bytes in odd-sized pieces so chunk boundaries fall inside buffers. */
const pieces = (bytes: Buffer) => async () =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / 7001) }, (_, i) =>
      bytes.subarray(i * 7001, (i + 1) * 7001),
    ),
  );

async function fetched(repo: string, digest: string): Promise<Buffer> {
  const auth = Buffer.from(`AWS:${registry.password}`).toString('base64');
  const res = await fetch(`${registry.plainUrl}/v2/${repo}/blobs/${digest}`, {
    headers: { authorization: `Basic ${auth}` },
  });
  return Buffer.from(await res.arrayBuffer());
}

describe('blob uploads against a real registry', () => {
  const sizes = { monolithicMax: 16 * 1024, chunkSize: 64 * 1024 };

  it.each([
    ['monolithic', 10_000],
    ['chunked, last chunk short', 300_000],
    ['chunked, exact chunks', 4 * 64 * 1024],
  ])('%s (%d bytes) stores exactly the bytes', async (_, size) => {
    const bytes = randomBytes(size);
    const desc = blobOf(bytes);
    const lines: string[] = [];
    expect(
      await uploadBlob(client, 'up/a', desc, pieces(bytes), {
        sizes,
        log: (l) => lines.push(l),
        progressEveryMs: 0,
      }),
    ).toBe('uploaded');
    expect(await client.hasBlob('up/a', desc.digest)).toBe(true);
    expect((await fetched('up/a', desc.digest)).equals(bytes)).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/\(100%\), .*\/s$/);
  });

  it('mounts a blob another repository of the registry has, sending nothing', async () => {
    const bytes = randomBytes(50_000);
    const desc = blobOf(bytes);
    await uploadBlob(client, 'up/from', desc, pieces(bytes), { sizes });
    const never = async (): Promise<Readable> => {
      throw new Error('a mount must not read the source');
    };
    expect(await uploadBlob(client, 'up/to', desc, never, { sizes, mountFrom: 'up/from' })).toBe('mounted');
    expect(await client.hasBlob('up/to', desc.digest)).toBe(true);
  });

  it.each([
    [
      'different bytes',
      (b: Buffer) => Buffer.concat([b.subarray(0, -1), Buffer.from([b[b.length - 1]! ^ 1])]),
      /hash to sha256:/,
    ],
    ['too few bytes', (b: Buffer) => b.subarray(0, -10), /ended after/],
    ['too many bytes', (b: Buffer) => Buffer.concat([b, Buffer.from('x')]), /more than the/],
  ])('refuses a source with %s and commits nothing', async (_, corrupt, message) => {
    for (const size of [10_000, 200_000]) {
      const bytes = randomBytes(size);
      const desc = blobOf(bytes);
      const upload = uploadBlob(client, 'up/bad', desc, pieces(corrupt(bytes)), { sizes });
      await expect(upload).rejects.toThrow(DigestMismatchError);
      await expect(uploadBlob(client, 'up/bad', desc, pieces(corrupt(bytes)), { sizes })).rejects.toThrow(
        message,
      );
      expect(await client.hasBlob('up/bad', desc.digest)).toBe(false);
    }
  });

  it('refuses wrong credentials with one line naming whose they are', async () => {
    const wrong = new RegistryClient({
      host: registry.host,
      credentials: { username: 'AWS', password: 'nope' },
      who: 'the ECR login',
    });
    await expect(wrong.hasBlob('up/a', `sha256:${'0'.repeat(64)}`)).rejects.toThrow(
      `Registry ${registry.host} refused the ECR login for user 'AWS' (401 Unauthorized).`,
    );
  });
});

describe('indexTar', () => {
  it('finds files by name (long names and links included) with their offsets', async () => {
    const path = join(dir, 'a.tar');
    const pack = tar.pack();
    const long = `${'d'.repeat(120)}/layer.tar`;
    pack.entry({ name: 'manifest.json' }, '[]');
    pack.entry({ name: 'abc/', type: 'directory' });
    pack.entry({ name: long }, 'LAYER-BYTES');
    pack.entry({ name: 'abc/layer.tar', type: 'symlink', linkname: `../${long}` });
    pack.finalize();
    await pipeline(pack, createWriteStream(path));
    const entries = await indexTar(path);
    expect([...entries.keys()].sort()).toEqual(['abc/layer.tar', long, 'manifest.json'].sort());
    expect(entries.get('abc/layer.tar')).toMatchObject({ size: 11, offset: entries.get(long)?.offset });
  });
});
