import { BatchGetImageCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { errorName } from '../../aws/errors.js';
import { inputError, UserError } from '../../errors.js';
import type { SourceSpec } from '../../inputs/image-source.js';
import { hostOf, type RepositoryPlan } from './repository.js';

/** An image already in the target repository, as BatchGetImage returned it. */
export interface SourceManifest {
  /** What `image` said: a tag or `sha256:…`. */
  reference: string;
  digest: string;
  manifest: string;
  mediaType: string | undefined;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/**
 * Pure: the tag or digest to promote when `image` names the target repository itself
 * (`<registry>/<repository>:tag` or `@sha256:…`), else undefined (the image is copied as usual). Only the
 * same repository qualifies: PutImage needs the layers already in it.
 */
export function promotionReference(
  source: SourceSpec,
  repositoryUri: string | undefined,
): string | undefined {
  if (source.kind !== 'remote' || repositoryUri === undefined) return undefined;
  const slash = repositoryUri.indexOf('/');
  const sameHost = source.host.toLowerCase() === hostOf(repositoryUri).toLowerCase();
  return sameHost && source.repository === repositoryUri.slice(slash + 1) ? source.reference : undefined;
}

const scope = (repo: RepositoryPlan) => ({
  repositoryName: repo.name,
  ...(repo.registryId ? { registryId: repo.registryId } : {}),
});

/** A read for the plan: the manifest to re-tag, so a missing source fails before anything is written. */
export async function readSourceImage(
  ecr: ECRClient,
  repo: RepositoryPlan,
  image: string,
  reference: string,
): Promise<SourceManifest> {
  const imageId = reference.startsWith('sha256:') ? { imageDigest: reference } : { imageTag: reference };
  const out = await ecr.send(
    new BatchGetImageCommand({ ...scope(repo), imageIds: [imageId], acceptedMediaTypes: MANIFEST_TYPES }),
  );
  const found = out.images?.[0];
  if (!found?.imageManifest) {
    const why = out.failures?.[0]?.failureReason ?? 'not found';
    throw inputError('image', image, `an image in ECR repository '${repo.name}' (ECR says: ${why})`);
  }
  const manifest = found.imageManifest;
  const digest =
    found.imageId?.imageDigest ?? `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  return { reference, digest, manifest, mediaType: found.imageManifestMediaType };
}

export type TagOutcome = 'tagged' | 'already-tagged' | 'immutable-conflict';

/** Pure: what a PutImage answer means for one tag (undefined: an error to pass on). */
export function putImageOutcome(errorName: string | undefined): TagOutcome | undefined {
  if (errorName === undefined) return 'tagged';
  if (errorName === 'ImageAlreadyExistsException') return 'already-tagged';
  if (errorName === 'ImageTagAlreadyExistsException') return 'immutable-conflict';
  return undefined;
}

/**
 * Zero-byte promotion: one PutImage per tag with the manifest BatchGetImage read. No layer moves (ECR
 * already has them in this repository), so the only traffic is these API calls.
 */
export async function promoteTags(
  ecr: ECRClient,
  repo: RepositoryPlan,
  source: SourceManifest,
  tags: string[],
  log: (line: string) => void,
): Promise<Array<{ tag: string; outcome: TagOutcome }>> {
  log(`${source.reference} is already in ${repo.name} (${source.digest}): tagging in ECR, no bytes moved`);
  const results: Array<{ tag: string; outcome: TagOutcome }> = [];
  for (const tag of tags) {
    let name: string | undefined;
    try {
      await ecr.send(
        new PutImageCommand({
          ...scope(repo),
          imageManifest: source.manifest,
          ...(source.mediaType ? { imageManifestMediaType: source.mediaType } : {}),
          imageTag: tag,
          imageDigest: source.digest,
        }),
      );
    } catch (err) {
      name = errorName(err);
      if (putImageOutcome(name) === undefined) throw err;
    }
    const outcome = putImageOutcome(name) as TagOutcome;
    if (outcome === 'immutable-conflict') {
      throw new UserError(
        `Tag '${tag}' in repository '${repo.name}' already points at another image and the repository's tags are ` +
          `immutable, so ECR will not move it to ${source.digest}: choose a new tag.`,
      );
    }
    log(outcome === 'tagged' ? `Tagged ${tag}` : `${tag} already points at ${source.digest}`);
    results.push({ tag, outcome });
  }
  return results;
}
