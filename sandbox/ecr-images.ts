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

/** What the registry holds for an image id (tag or digest): its digest, or ImageNotFoundException. */
export async function resolveImage(registry: EcrRegistry, repo: Repository, body: Body): Promise<string> {
  const id = (body.imageId ?? {}) as Body;
  const ref = String(id.imageDigest ?? id.imageTag ?? '');
  const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES.join(', ') },
  });
  const digest = res.headers.get('docker-content-digest');
  if (!res.ok || !digest || ref === '') {
    throw new AwsError(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${String(id.imageDigest ?? 'null')}', imageTag:'${String(id.imageTag ?? 'null')}'} does not exist within the repository with name '${repo.name}' in the registry with id '${registryIdOf(body)}'`,
    );
  }
  return digest;
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
  const imageDetails = [...byDigest].map(([imageDigest, imageTags]) => {
    const scan = scanSummary(state, repo, imageDigest);
    return {
      registryId: registryIdOf(body),
      repositoryName: repo.name,
      imageDigest,
      imageTags: imageTags.length > 0 ? imageTags : undefined,
      ...(scan ?? {}),
    };
  });
  return { imageDetails };
}
