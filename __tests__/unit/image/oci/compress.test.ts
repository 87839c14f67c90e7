import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { openArchive } from '../../../../src/image/oci/archive.js';
import { gzipStream, isGzip, measureGzip } from '../../../../src/image/oci/compress.js';
import { MEDIA } from '../../../../src/image/oci/media.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const collect = async (s: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};
// Compressible, but not trivially: text with random words, in several chunks as a file stream gives them.
const layerBytes = Buffer.from(
  Array.from({ length: 20_000 }, () => randomBytes(3).toString('hex'))
    .join(' ')
    .repeat(3),
);
const chunks = (b: Buffer) =>
  Readable.from([b.subarray(0, 1000), b.subarray(1000, 70_000), b.subarray(70_000)]);

describe('gzip of a layer', () => {
  it('gives the same bytes every time, however the input is chunked', async () => {
    const a = await collect(gzipStream(Readable.from([layerBytes])));
    const b = await collect(gzipStream(chunks(layerBytes)));
    expect(a.equals(b)).toBe(true);
    expect(gunzipSync(a).equals(layerBytes)).toBe(true);
    expect(a.length).toBeLessThan(layerBytes.length * 0.6);
  });

  it('measures the digest and size of the compressed stream and the diff_id of the input', async () => {
    const packed = await collect(gzipStream(Readable.from([layerBytes])));
    expect(await measureGzip(chunks(layerBytes))).toEqual({
      digest: sha(packed),
      size: packed.length,
      diffId: sha(layerBytes),
    });
  });

  it('destroys the source when the reader gives up', async () => {
    const source = Readable.from(chunks(layerBytes));
    const out = gzipStream(source);
    out.destroy();
    await new Promise((r) => setImmediate(r));
    expect(source.destroyed).toBe(true);
  });

  it.each([
    [gzipSync(Buffer.from('x')), true],
    [Buffer.from([0x1f]), false],
    [Buffer.from('ustar'), false],
    [Buffer.alloc(0), false],
  ])('isGzip %#', (head, expected) => expect(isGzip(head)).toBe(expected));
});

/** A docker save archive: manifest.json, the config, one uncompressed layer and one saved gzipped. */
async function writeArchive(path: string, diffIds?: string[]): Promise<{ plain: Buffer; gz: Buffer }> {
  const plain = layerBytes;
  const gz = gzipSync(Buffer.from('already compressed layer'), { level: 9 });
  const config = Buffer.from(
    JSON.stringify({ rootfs: { type: 'layers', diff_ids: diffIds ?? [sha(plain), sha(gunzipSync(gz))] } }),
  );
  const pack = tar.pack();
  const files: [string, Buffer][] = [
    [
      'manifest.json',
      Buffer.from(
        JSON.stringify([{ Config: 'c.json', RepoTags: ['a:1'], Layers: ['l1/layer.tar', 'l2/layer.tar'] }]),
      ),
    ],
    ['c.json', config],
    ['l1/layer.tar', plain],
    ['l2/layer.tar', gz],
  ];
  for (const [name, body] of files) pack.entry({ name }, body);
  pack.finalize();
  await writeFile(path, await collect(pack as unknown as Readable));
  return { plain, gz };
}

describe('a docker save archive', () => {
  it('lists gzip layers whose digests are of the bytes it serves, and passes gzip layers through', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-archive-'));
    try {
      const path = join(dir, 'a.tar');
      const { plain, gz } = await writeArchive(path);
      const source = await openArchive(path, undefined, 'docker-archive:a.tar');
      const manifest = JSON.parse(source.root.bytes.toString()) as {
        mediaType: string;
        config: { mediaType: string };
        layers: { mediaType: string; digest: string; size: number }[];
      };
      expect(source.root.mediaType).toBe(MEDIA.dockerManifest);
      expect(manifest.mediaType).toBe(MEDIA.dockerManifest);
      expect(manifest.config.mediaType).toBe(MEDIA.dockerConfig);
      expect(manifest.layers.map((l) => l.mediaType)).toEqual([MEDIA.dockerLayerGzip, MEDIA.dockerLayerGzip]);
      const [first, second] = manifest.layers;
      const served = await collect(await source.open(first as never));
      expect({ digest: sha(served), size: served.length }).toEqual({
        digest: first?.digest,
        size: first?.size,
      });
      expect(gunzipSync(served).equals(plain)).toBe(true);
      expect(served.length).toBeLessThan(plain.length);
      expect(second).toEqual({ mediaType: MEDIA.dockerLayerGzip, digest: sha(gz), size: gz.length });
      expect((await collect(await source.open(second as never))).equals(gz)).toBe(true);
      // Opened again (a retry), the same bytes.
      expect((await collect(await source.open(first as never))).equals(served)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a layer that does not match its diff_id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-archive-'));
    try {
      const path = join(dir, 'a.tar');
      await writeArchive(path, [`sha256:${'0'.repeat(64)}`]);
      await expect(openArchive(path, undefined, 'docker-archive:a.tar')).rejects.toThrow("Input 'image'");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
