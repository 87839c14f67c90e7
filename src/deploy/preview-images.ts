import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { describeAwsError } from '../aws/errors.js';
import { parseRevision } from '../aws/arn.js';
import { revisionsInUse } from './revisions.js';

/** How a task definition names an image of `repository`: by digest, or by tag (`latest` when it says none). */
type ImageRef = { digest: string } | { tag: string };

/**
 * Pure: `host/repository@sha256:…` (a tag before the digest is ignored, as registries do),
 * `host/repository:tag` or `host/repository`, when it is `repository`'s; otherwise undefined.
 */
export function refIn(uri: string, repository: string): ImageRef | undefined {
  const m = /^[^/]+\/([^@:]+)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(uri);
  if (!m || m[1] !== repository) return undefined;
  if (m[3]) return { digest: m[3] };
  return { tag: m[2] ?? 'latest' };
}

/** Pure: the digests of `images` that live in `repository` (`host/repository@sha256:…`), each once. */
export function digestsIn(images: string[], repository: string): string[] {
  const digests = images.flatMap((uri) => {
    const ref = refIn(uri, repository);
    return ref && 'digest' in ref ? [ref.digest] : [];
  });
  return [...new Set(digests)];
}

/** Pure: which of `digests` a reference in use points at, given each digest's tags. */
export function digestsInUse(
  digests: string[],
  refs: ImageRef[],
  tagsOf: (digest: string) => string[],
): Set<string> {
  const used = new Set<string>();
  for (const digest of digests) {
    const tags = tagsOf(digest);
    if (refs.some((r) => ('digest' in r ? r.digest === digest : tags.includes(r.tag)))) used.add(digest);
  }
  return used;
}

/** The image's tags; none when the image is gone already. */
async function tagsOf(ecr: ECRClient, repositoryName: string, imageDigest: string): Promise<string[]> {
  try {
    const out = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageDigest }] }));
    return out.imageDetails?.flatMap((d) => d.imageTags ?? []) ?? [];
  } catch (err) {
    if (err instanceof Error && err.name === 'ImageNotFoundException') return [];
    throw err;
  }
}

/**
 * Of the preview's image digests, those no other service of the cluster runs: deleting an image by digest
 * removes every tag on it, and the main service may run the very same image (a merged PR's image
 * promoted, say) by digest or by one of those tags. Services in other clusters are not seen. When the
 * services cannot be read, nothing is deleted (a warning says why).
 */
export async function imagesSafeToDelete(
  ecs: ECSClient,
  ecr: ECRClient,
  /** `families`: the preview's own, whose revisions are going (their use of an image does not count). */
  args: { cluster: string; repository: string; digests: string[]; families: string[] },
): Promise<{ deletable: string[]; kept: string[]; warning: string | undefined }> {
  const { cluster, repository, digests, families } = args;
  if (digests.length === 0) return { deletable: [], kept: [], warning: undefined };
  try {
    const refs: ImageRef[] = [];
    for (const arn of await revisionsInUse(ecs, cluster)) {
      if (families.includes(parseRevision(arn)?.family ?? '')) continue;
      const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      for (const c of out.taskDefinition?.containerDefinitions ?? []) {
        const ref = c.image ? refIn(c.image, repository) : undefined;
        if (ref) refs.push(ref);
      }
    }
    const tags = new Map<string, string[]>();
    if (refs.some((r) => 'tag' in r)) {
      // One image a call: DescribeImages fails as a whole when one of the ids is gone already.
      for (const imageDigest of digests) tags.set(imageDigest, await tagsOf(ecr, repository, imageDigest));
    }
    const used = digestsInUse(digests, refs, (d) => tags.get(d) ?? []);
    return {
      deletable: digests.filter((d) => !used.has(d)),
      kept: digests.filter((d) => used.has(d)),
      warning: undefined,
    };
  } catch (err) {
    const why = describeAwsError(err);
    return {
      deletable: [],
      kept: digests,
      warning: `Images in ${repository} were not deleted: cannot tell which images the cluster's services still run (${why})`,
    };
  }
}
