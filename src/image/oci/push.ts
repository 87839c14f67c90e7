import type { Readable } from 'node:stream';
import type { Credentials } from '../../inputs/image.js';
import { RegistryClient } from './client.js';
import { parseManifest, type Descriptor, type ManifestBlob } from './media.js';
import { DEFAULT_RETRY, withRetries, type RetryOptions } from './retry.js';
import { ECR_CHUNKS, formatBytes, uploadBlob, type ChunkSizes } from './upload.js';

/** An image to copy, whatever it came from: its manifest graph and a way to read each blob. */
export interface ImageSource {
  /** For log lines, e.g. `oci-layout:./out:v1`. */
  name: string;
  /** What the tags will point at: an image manifest or an index. */
  root: ManifestBlob;
  /** The manifests an index refers to, leaves first; empty for a single-platform image. */
  children: ManifestBlob[];
  /** Every distinct config and layer blob under the root. */
  blobs: Descriptor[];
  /** A fresh stream of a blob's bytes (called again for a retry). */
  open(desc: Descriptor): Promise<Readable>;
  /** Set when the source is a registry: on the destination's host, blobs are mounted, not copied. */
  origin?: { host: string; repository: string };
  close(): Promise<void>;
}

/** Where an image goes: one repository of one registry, under every tag. */
export interface Destination {
  host: string;
  repository: string;
  tags: string[];
  credentials: Credentials | undefined;
  /** Whose credentials, for error lines. */
  who: string;
}

export interface PushResult {
  digest: string;
  imageUri: string;
  blobs: { present: number; mounted: number; uploaded: number };
  /** Blob bytes sent (0 when the registry already had everything). */
  bytesUploaded: number;
}

export interface PushOptions {
  log: (line: string) => void;
  sizes?: ChunkSizes;
  /** Blob uploads in flight at once. */
  parallel?: number;
  retry?: RetryOptions;
  progressEveryMs?: number;
}

/**
 * The manifests and blobs under a root, each once: an index's children (recursively) and every manifest's
 * config and layers. `load` reads a child manifest by its descriptor.
 */
export async function walkImage(
  root: ManifestBlob,
  load: (desc: Descriptor) => Promise<ManifestBlob>,
): Promise<{ children: ManifestBlob[]; blobs: Descriptor[] }> {
  const children: ManifestBlob[] = [];
  const blobs = new Map<string, Descriptor>();
  const visit = async (manifest: ManifestBlob, depth: number): Promise<void> => {
    if (depth > 4) throw new Error(`Index ${root.digest} nests deeper than 4 levels.`);
    const parsed = parseManifest(manifest);
    if (parsed.kind === 'image') {
      for (const d of [parsed.config, ...parsed.layers]) if (!blobs.has(d.digest)) blobs.set(d.digest, d);
      return;
    }
    for (const desc of parsed.manifests) {
      if (children.some((c) => c.digest === desc.digest)) continue;
      const child = await load(desc);
      if (child.digest !== desc.digest) {
        throw new Error(`Manifest ${desc.digest} of ${root.digest} reads back as ${child.digest}.`);
      }
      await visit(child, depth + 1);
      children.push(child);
    }
  };
  await visit(root, 0);
  return { children, blobs: [...blobs.values()] };
}

/** Runs `fn` over `items` with at most `limit` at once; the first failure fails the whole. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Copies an image into the destination: each blob the registry lacks (HEAD first, mount when the source
 * is the same registry, else a streamed upload with a bounded number in flight), then the index's
 * manifests by digest, then the root under every tag. The digest returned is the one the registry
 * reported, and it must be the digest of the bytes sent.
 */
export async function pushImage(
  source: ImageSource,
  destination: Destination,
  opts: PushOptions,
): Promise<PushResult> {
  const { log } = opts;
  const retry = { ...(opts.retry ?? DEFAULT_RETRY), log };
  const client = new RegistryClient({
    host: destination.host,
    credentials: destination.credentials,
    who: destination.who,
  });
  const repo = destination.repository;
  const mountFrom =
    source.origin && source.origin.host === destination.host && source.origin.repository !== repo
      ? source.origin.repository
      : undefined;
  const counts = { present: 0, mounted: 0, uploaded: 0 };
  let bytesUploaded = 0;
  const started = Date.now();

  const total = source.blobs.reduce((n, b) => n + b.size, 0);
  log(
    `Copying ${source.name} (${source.blobs.length} blobs, ${formatBytes(total)}) to ${destination.host}/${repo}`,
  );
  // Auth first, on one request: parallel uploads would otherwise each run the token dance.
  await withRetries(
    'Registry check',
    () => client.manifestDigest(repo, destination.tags[0] ?? 'latest'),
    retry,
  );

  await mapLimit(source.blobs, opts.parallel ?? 4, async (desc) => {
    if (await withRetries(`HEAD ${desc.digest}`, () => client.hasBlob(repo, desc.digest), retry)) {
      counts.present++;
      return;
    }
    const how = await withRetries(
      `Upload of ${desc.digest}`,
      () =>
        uploadBlob(client, repo, desc, () => source.open(desc), {
          sizes: opts.sizes ?? ECR_CHUNKS,
          log,
          ...(opts.progressEveryMs === undefined ? {} : { progressEveryMs: opts.progressEveryMs }),
          ...(mountFrom ? { mountFrom } : {}),
        }),
      retry,
    );
    counts[how]++;
    if (how === 'uploaded') bytesUploaded += desc.size;
  });

  for (const child of source.children) {
    await withRetries(
      `PUT manifest ${child.digest}`,
      () => client.putManifest(repo, child.digest, child),
      retry,
    );
  }
  const root = source.root;
  for (const tag of destination.tags) {
    const current = await withRetries(`HEAD ${repo}:${tag}`, () => client.manifestDigest(repo, tag), retry);
    if (current === root.digest) continue;
    const stored = await withRetries(
      `PUT manifest ${repo}:${tag}`,
      () => client.putManifest(repo, tag, root),
      retry,
    );
    if (stored !== root.digest) {
      throw new Error(
        `Registry ${destination.host} stored ${repo}:${tag} as ${stored}, but ${root.digest} was sent.`,
      );
    }
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  log(
    `Blobs: ${counts.present} already there, ${counts.mounted} mounted, ${counts.uploaded} uploaded ` +
      `(${formatBytes(bytesUploaded)}) in ${seconds} s`,
  );
  log(`Pushed ${destination.host}/${repo}@${root.digest} as ${destination.tags.join(', ')}`);
  return {
    digest: root.digest,
    imageUri: `${destination.host}/${repo}@${root.digest}`,
    blobs: counts,
    bytesUploaded,
  };
}
