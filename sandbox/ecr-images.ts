import { AwsError } from './http.js';
import {
  MANIFEST_TYPES,
  registryFetch,
  registryIdOf,
  repositoryOf,
  type Body,
  type EcrRegistry,
  type EcrState,
  type Repository,
} from './ecr.js';
import { scanSummary } from './ecr-scan.js';

/** The digest the registry serves for repo:ref (tag or digest), from a HEAD as a pull starts; undefined if none. */
export async function manifestDigest(
  registry: EcrRegistry,
  repo: Repository,
  ref: string,
): Promise<string | undefined> {
  if (ref === '') return undefined;
  const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES.join(', ') },
  });
  return (res.ok && res.headers.get('docker-content-digest')) || undefined;
}

/** What the registry holds for an image id (tag or digest): its digest, or ImageNotFoundException. */
export async function resolveImage(registry: EcrRegistry, repo: Repository, body: Body): Promise<string> {
  const id = (body.imageId ?? {}) as Body;
  const digest = await manifestDigest(registry, repo, String(id.imageDigest ?? id.imageTag ?? ''));
  if (!digest) {
    throw new AwsError(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${String(id.imageDigest ?? 'null')}', imageTag:'${String(id.imageTag ?? 'null')}'} does not exist within the repository with name '${repo.name}' in the registry with id '${registryIdOf(body)}'`,
    );
  }
  return digest;
}

interface Manifest {
  mediaType?: string;
  config?: { mediaType?: string; size?: number };
  layers?: { size?: number }[];
  manifests?: { digest: string }[];
}

async function readManifest(registry: EcrRegistry, repo: Repository, ref: string) {
  const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${ref}`, {
    headers: { accept: MANIFEST_TYPES.join(', ') },
  });
  const manifest = (await res.json()) as Manifest;
  return { manifest, mediaType: manifest.mediaType ?? res.headers.get('content-type') ?? MANIFEST_TYPES[0] };
}

/**
 * What ECR reports of a manifest: its media type, the config's (artifactMediaType), and the size — the
 * compressed layers of an image; the largest of its images for an index (ECR's documented rule).
 */
async function manifestFacts(registry: EcrRegistry, repo: Repository, digest: string): Promise<Body> {
  const { manifest, mediaType } = await readManifest(registry, repo, digest);
  const layersSize = (m: Manifest) => (m.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0);
  let imageSizeInBytes = layersSize(manifest);
  if (manifest.manifests) {
    const sizes = await Promise.all(
      manifest.manifests.map(async (m) =>
        layersSize((await readManifest(registry, repo, m.digest)).manifest),
      ),
    );
    imageSizeInBytes = Math.max(0, ...sizes);
  }
  return {
    imageManifestMediaType: mediaType,
    ...(manifest.config?.mediaType ? { artifactMediaType: manifest.config.mediaType } : {}),
    imageSizeInBytes,
  };
}

/**
 * imagePushedAt: the registry (a separate process) does not say when a manifest arrived, so the sandbox
 * dates an image from the first time it saw it — close enough for ordering, never in the future.
 */
function firstSeen(state: EcrState, repo: Repository, digest: string, now: number): number {
  const key = `${repo.name}@${digest}`;
  const seen = state.pushedAt.get(key) ?? now;
  state.pushedAt.set(key, seen);
  return seen;
}

/** DescribeImages: one detail per image (tags grouped by digest), with its scan status when it has one. */
export async function describeImages(
  registry: EcrRegistry,
  state: EcrState,
  body: Body,
  now: number,
): Promise<Body> {
  const repo = await repositoryOf(registry, state, body, now);
  const byDigest = new Map<string, string[]>();
  const ids = Array.isArray(body.imageIds) ? (body.imageIds as Body[]) : undefined;
  if (ids) {
    for (const imageId of ids) {
      const digest = await resolveImage(registry, repo, { ...body, imageId });
      byDigest.set(digest, byDigest.get(digest) ?? []);
    }
  }
  const listed = await registryFetch(registry, `/v2/${repo.name}/tags/list`);
  const tags = listed.ok ? (((await listed.json()) as { tags?: string[] | null }).tags ?? []) : [];
  for (const tag of tags) {
    const digest = await resolveImage(registry, repo, { ...body, imageId: { imageTag: tag } });
    if (ids && !byDigest.has(digest)) continue;
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), tag]);
  }
  const imageDetails: Body[] = [];
  for (const [imageDigest, imageTags] of byDigest) {
    const scan = scanSummary(state, repo, imageDigest);
    imageDetails.push({
      registryId: registryIdOf(body),
      repositoryName: repo.name,
      imageDigest,
      imageTags: imageTags.length > 0 ? imageTags : undefined,
      ...(await manifestFacts(registry, repo, imageDigest)),
      imagePushedAt: firstSeen(state, repo, imageDigest, now) / 1000,
      ...(scan ?? {}),
    });
  }
  return { imageDetails };
}
