import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { inputError } from '../../errors.js';
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
 * The OCI manifest for a docker-save image. Deterministic (fixed key order), so the same archive always
 * gives the same digest and a re-push sends nothing.
 */
export function archiveManifest(config: Descriptor, layers: Descriptor[]): Buffer {
  const d = (x: Descriptor) => ({ mediaType: x.mediaType, digest: x.digest, size: x.size });
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
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

const stream = (path: string, entry: TarEntry): Readable =>
  entry.size === 0
    ? Readable.from([])
    : createReadStream(path, {
        start: entry.offset,
        end: entry.offset + entry.size - 1,
        highWaterMark: 1024 * 1024,
      });

/** sha256 of an entry, streamed. */
async function hashEntry(path: string, entry: TarEntry): Promise<string> {
  if (entry.size === 0) return sha256(Buffer.alloc(0));
  const hash = createHash('sha256');
  for await (const chunk of stream(path, entry)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * A `docker save` tarball, read in place: layers are streamed from their offsets in the tar. Docker's
 * layer tars are uncompressed, so they go up as OCI `tar` layers whose digests are the config's diff_ids
 * (checked while uploading); a gzipped layer is hashed first.
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
    mediaType: MEDIA.ociConfig,
    digest: sha256(configBytes),
    size: configBytes.length,
  };
  const diffIds = ((JSON.parse(configBytes.toString('utf8')) as { rootfs?: { diff_ids?: string[] } }).rootfs
    ?.diff_ids ?? []) as string[];

  const where = new Map<string, TarEntry>();
  const layers: Descriptor[] = [];
  for (const [i, name] of image.Layers.entries()) {
    const layer = entry(name);
    const head = await readEntry(path, layer, 2);
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const digest = !gzip && diffIds[i] ? diffIds[i] : await hashEntry(path, layer);
    layers.push({ mediaType: gzip ? MEDIA.ociLayerGzip : MEDIA.ociLayer, digest, size: layer.size });
    where.set(digest, layer);
  }
  const root = manifestBlob(archiveManifest(config, layers), MEDIA.ociManifest);
  const blobs = [config, ...layers.filter((l, i) => layers.findIndex((x) => x.digest === l.digest) === i)];
  return {
    name: shown,
    root,
    children: [],
    blobs,
    open: async (desc) => {
      if (desc.digest === config.digest) return Readable.from([configBytes]);
      const layer = where.get(desc.digest);
      if (!layer) throw new Error(`No layer ${desc.digest} in ${path}.`);
      return stream(path, layer);
    },
    close: async () => undefined,
  };
}
