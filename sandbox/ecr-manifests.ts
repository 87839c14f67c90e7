// BatchGetImage, PutImage and BatchDeleteImage: image manifests read and written through the real registry,
// with ECR's errors for a tag that exists already.
import { createHash } from 'node:crypto';
import { AwsError } from './http.js';
import { ACCOUNT_ID } from './ecs/model.js';
import { manifestDigest } from './ecr-images.js';
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

const imageIdsOf = (body: Body): Body[] => (Array.isArray(body.imageIds) ? (body.imageIds as Body[]) : []);

/** A batch call's failure entry for an image id the registry does not hold. */
const imageNotFound = (imageId: Body): Body => ({
  imageId,
  failureCode: 'ImageNotFound',
  failureReason: 'Requested image not found',
});

/** BatchGetImage reads manifests from the real registry, so retagging works against what was pushed. */
export async function batchGetImage(
  registry: EcrRegistry,
  state: EcrState,
  body: Body,
  now: number,
): Promise<Body> {
  const repo = await repositoryOf(registry, state, body, now);
  const images: Body[] = [];
  const failures: Body[] = [];
  for (const raw of imageIdsOf(body)) {
    const ref = (raw.imageDigest ?? raw.imageTag) as string | undefined;
    const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${ref ?? ''}`, {
      headers: { accept: MANIFEST_TYPES.join(', ') },
    });
    if (!res.ok) {
      failures.push(imageNotFound(raw));
      continue;
    }
    images.push({
      registryId: registryIdOf(body),
      repositoryName: repo.name,
      imageId: { imageDigest: res.headers.get('docker-content-digest') ?? undefined, imageTag: raw.imageTag },
      imageManifest: await res.text(),
      imageManifestMediaType: res.headers.get('content-type') ?? undefined,
    });
  }
  return { images, failures };
}

export async function putImage(
  registry: EcrRegistry,
  state: EcrState,
  body: Body,
  now: number,
): Promise<Body> {
  const repo = await repositoryOf(registry, state, body, now);
  const manifest = String(body.imageManifest ?? '');
  const tag = typeof body.imageTag === 'string' ? body.imageTag : undefined;
  let mediaType = typeof body.imageManifestMediaType === 'string' ? body.imageManifestMediaType : undefined;
  try {
    mediaType ??= (JSON.parse(manifest) as { mediaType?: string }).mediaType;
  } catch {
    throw new AwsError('InvalidParameterException', 'Invalid parameter at imageManifest: not valid JSON');
  }
  if (tag !== undefined) await checkTag(registry, repo, tag, manifest);
  const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${tag ?? body.imageDigest ?? ''}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType ?? MANIFEST_TYPES[0]! },
    body: manifest,
  });
  if (!res.ok) {
    throw new AwsError(
      'InvalidParameterException',
      `Invalid parameter at imageManifest: ${res.status} ${await res.text()}`,
    );
  }
  return {
    image: {
      registryId: registryIdOf(body),
      repositoryName: repo.name,
      imageId: { imageDigest: res.headers.get('docker-content-digest') ?? undefined, imageTag: tag },
      imageManifest: manifest,
      imageManifestMediaType: mediaType,
    },
  };
}

/** BatchDeleteImage by digest (the image and every tag on it) or by tag, through the real registry. */
export async function batchDeleteImage(
  registry: EcrRegistry,
  state: EcrState,
  body: Body,
  now: number,
): Promise<Body> {
  const repo = await repositoryOf(registry, state, body, now);
  const imageIds: Body[] = [];
  const failures: Body[] = [];
  for (const raw of imageIdsOf(body)) {
    const digest = await manifestDigest(registry, repo, String(raw.imageDigest ?? raw.imageTag ?? ''));
    if (!digest) {
      failures.push(imageNotFound(raw));
      continue;
    }
    // The registry deletes a manifest only by digest, which removes its tags with it (as ECR does).
    const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${digest}`, { method: 'DELETE' });
    if (!res.ok) throw new AwsError('ServerException', `registry answered ${res.status} to DELETE ${digest}`);
    imageIds.push({ imageDigest: digest, ...(raw.imageTag ? { imageTag: raw.imageTag } : {}) });
  }
  return { imageIds, failures };
}

/** ECR's two "tag exists" errors: same manifest (harmless) or an immutable tag pointing elsewhere. */
async function checkTag(
  registry: EcrRegistry,
  repo: Repository,
  tag: string,
  manifest: string,
): Promise<void> {
  const current = await manifestDigest(registry, repo, tag);
  if (!current) return;
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  if (current === digest) {
    throw new AwsError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repo.name}' in registry with id '${ACCOUNT_ID}'`,
    );
  }
  if (repo.imageTagMutability === 'IMMUTABLE') {
    throw new AwsError(
      'ImageTagAlreadyExistsException',
      `The image tag '${tag}' already exists in the '${repo.name}' repository and cannot be overwritten because the repository is immutable.`,
    );
  }
}
