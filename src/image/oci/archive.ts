import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { inputError } from '../../errors.js';
import { gzipStream, isGzip, measureGzip } from './compress.js';
import { MEDIA, manifestBlob, sha256, type Descriptor } from './media.js';
import type { ImageSource } from './push.js';
import { indexTar, type TarEntry } from './tar.js';

interface ArchiveImage {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Which image of `manifest.json` to push: the one tagged `reference`, or the only one. */
export function pickArchiveImage(
  images: ArchiveImage[],
  reference: string | undefined,
): ArchiveImage | string {
  const tags = images.flatMap((i) => i.RepoTags ?? []);
  if (reference === undefined) {
    if (images.length === 1 && images[0]) return images[0];
    return `NAME:TAG after the path, as the archive holds ${images.length} images (${tags.join(', ') || 'untagged'})`;
  }
  const found = images.find((i) => (i.RepoTags ?? []).includes(reference));
  return found ?? `a NAME:TAG the archive holds (${tags.join(', ') || 'untagged'})`;
}

/**
 * The Docker v2 manifest for a docker-save image, as `docker push` writes it (the config is Docker's own
 * image JSON, the layers gzip). Deterministic (fixed key order), so the same archive always gives the
 * same digest and a re-push sends nothing.
 */
export function archiveManifest(config: Descriptor, layers: Descriptor[]): Buffer {
  const d = (x: Descriptor) => ({ mediaType: x.mediaType, digest: x.digest, size: x.size });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.dockerManifest,
      config: d(config),
      layers: layers.map(d),
    }),
  );
}

async function readEntry(path: string, entry: TarEntry, length = entry.size): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(length, entry.size));
    await file.read(buf, 0, buf.length, entry.offset);
    return buf;
  } finally {
    await file.close();
  }
}

/**
 * A layer's descriptor digest and size: of its gzip stream for an uncompressed layer (with `diffId`, the
 * hash of the tar itself), of its bytes for a layer saved gzipped.
 */
async function hashed(
  path: string,
  layer: TarEntry,
  gzipped: boolean,
): Promise<{ digest: string; size: number; diffId?: string }> {
  if (!gzipped) return measureGzip(stream(path, layer));
  const hash = createHash('sha256');
  for await (const chunk of stream(path, layer)) hash.update(chunk as Buffer);
  return { digest: `sha256:${hash.digest('hex')}`, size: layer.size };
}

const stream = (path: string, entry: TarEntry): Readable =>
  entry.size === 0
    ? Readable.from([])
    : createReadStream(path, {
        start: entry.offset,
        end: entry.offset + entry.size - 1,
        highWaterMark: 1024 * 1024,
      });

/**
 * A `docker save` tarball, read in place: layers are streamed from their offsets in the tar. Docker saves
 * layers uncompressed; they go up gzipped, as `docker push` sends them. The compressed digest must be known
 * before the blob HEAD (a re-push sends nothing), so each layer is compressed twice: once here to hash it
 * (checking its diff_id on the way), once when uploaded. Layers saved already gzipped go up as they are.
 */
export async function openArchive(
  path: string,
  reference: string | undefined,
  shown: string,
): Promise<ImageSource> {
  let entries: Map<string, TarEntry>;
  try {
    entries = await indexTar(path);
  } catch {
    throw inputError('image', shown, 'a readable docker save archive (an uncompressed tar)');
  }
  const manifestEntry = entries.get('manifest.json');
  if (!manifestEntry) throw inputError('image', shown, 'a docker save archive (no manifest.json in it)');
  const images = JSON.parse((await readEntry(path, manifestEntry)).toString('utf8')) as ArchiveImage[];
  const image = pickArchiveImage(images, reference);
  if (typeof image === 'string') throw inputError('image', shown, image);

  const entry = (name: string): TarEntry => {
    const found = entries.get(name.replace(/^\.\//, ''));
    if (!found) throw inputError('image', shown, `a complete docker save archive (${name} is missing)`);
    return found;
  };
  const configBytes = await readEntry(path, entry(image.Config));
  const config: Descriptor = {
    mediaType: MEDIA.dockerConfig,
    digest: sha256(configBytes),
    size: configBytes.length,
  };
  const diffIds = ((JSON.parse(configBytes.toString('utf8')) as { rootfs?: { diff_ids?: string[] } }).rootfs
    ?.diff_ids ?? []) as string[];

  // Which entry a layer digest reads, and whether it is compressed on the way.
  const where = new Map<string, { layer: TarEntry; gzip: boolean }>();
  const layers: Descriptor[] = [];
  for (const [i, name] of image.Layers.entries()) {
    const layer = entry(name);
    const saved = await hashed(path, layer, isGzip(await readEntry(path, layer, 2)));
    if (saved.diffId !== undefined && saved.diffId !== diffIds[i]) {
      throw inputError('image', shown, `an intact docker save archive (${name} does not match its diff_id)`);
    }
    layers.push({ mediaType: MEDIA.dockerLayerGzip, digest: saved.digest, size: saved.size });
    where.set(saved.digest, { layer, gzip: saved.diffId !== undefined });
  }
  const root = manifestBlob(archiveManifest(config, layers), MEDIA.dockerManifest);
  const blobs = [config, ...layers.filter((l, i) => layers.findIndex((x) => x.digest === l.digest) === i)];
  return {
    name: shown,
    root,
    children: [],
    blobs,
    open: async (desc) => {
      if (desc.digest === config.digest) return Readable.from([configBytes]);
      const found = where.get(desc.digest);
      if (!found) throw new Error(`No layer ${desc.digest} in ${path}.`);
      return found.gzip ? gzipStream(stream(path, found.layer)) : stream(path, found.layer);
    },
    close: async () => undefined,
  };
}
