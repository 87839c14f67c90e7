import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../../errors.js';
import { manifestBlob, sha256, type Descriptor, type ManifestBlob } from './media.js';
import { walkImage, type ImageSource } from './push.js';

const REF_NAME = 'org.opencontainers.image.ref.name';

/** The descriptor `index.json` lists for `tag`, or the only one when no tag is given. */
export function pickFromIndex(
  index: { manifests?: Descriptor[] },
  tag: string | undefined,
): Descriptor | string {
  const manifests = index.manifests ?? [];
  const tags = manifests.map((m) => m.annotations?.[REF_NAME]).filter((t): t is string => !!t);
  if (tag === undefined) {
    if (manifests.length === 1 && manifests[0]) return manifests[0];
    return `a tag, as the layout holds ${manifests.length} images (tags: ${tags.join(', ') || 'none'})`;
  }
  const found = manifests.find((m) => m.annotations?.[REF_NAME] === tag);
  return found ?? `a tag the layout has (tags: ${tags.join(', ') || 'none'})`;
}

const blobPath = (root: string, digest: string): string => join(root, 'blobs', ...digest.split(':'));

/**
 * An OCI image layout (buildx `type=oci`, buildah, kaniko, umoci, skopeo): index.json picks the image by
 * its ref-name annotation; manifests are read and verified here, blobs are streamed at push time.
 */
export async function openLayout(path: string, tag: string | undefined, shown: string): Promise<ImageSource> {
  let index: { manifests?: Descriptor[] };
  try {
    index = JSON.parse(await readFile(join(path, 'index.json'), 'utf8')) as typeof index;
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no index.json there' : 'index.json unreadable';
    throw inputError('image', shown, `an OCI image layout directory (${why})`);
  }
  const picked = pickFromIndex(index, tag);
  if (typeof picked === 'string') throw inputError('image', shown, picked);

  const load = async (desc: Descriptor): Promise<ManifestBlob> => {
    let bytes: Buffer;
    try {
      bytes = await readFile(blobPath(path, desc.digest));
    } catch {
      throw inputError('image', shown, `a complete layout (blob ${desc.digest} is missing)`);
    }
    if (sha256(bytes) !== desc.digest) {
      throw inputError('image', shown, `an intact layout (blob ${desc.digest} does not match its digest)`);
    }
    return manifestBlob(bytes, desc.mediaType);
  };
  const root = await load(picked);
  const { children, blobs } = await walkImage(root, load);
  for (const blob of blobs) {
    const found = await stat(blobPath(path, blob.digest)).catch(() => undefined);
    if (found?.size !== blob.size) {
      throw inputError(
        'image',
        shown,
        `a complete layout (blob ${blob.digest} is missing or has the wrong size)`,
      );
    }
  }
  return {
    name: shown,
    root,
    children,
    blobs,
    open: async (desc) => createReadStream(blobPath(path, desc.digest), { highWaterMark: 1024 * 1024 }),
    close: async () => undefined,
  };
}
