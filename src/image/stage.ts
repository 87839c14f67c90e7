import type { RegistryTarget } from '../inputs/registry.js';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { inputError } from '../errors.js';
import type { ImageInputs } from '../inputs/image.js';
import { mask, type Logger } from '../report/log.js';
import { dockerLogin, imageExists, pushImage as dockerPush } from './docker.js';
import { publishInEcr, pushRepository, pushTarget, registryLogin, type EcrPlan } from './ecr/plan.js';
import type { RegistryLogin } from './ecr/login.js';
import { openImageSource } from './oci/open.js';
import { dockerImagePlatforms, sourcePlatforms, type ImagePlatform } from './platform.js';
import { pushImage, type Destination } from './oci/push.js';

export interface PublishedImage {
  /** `registry/repository@sha256:…`, what task definitions should reference. */
  imageUri: string;
  digest: string;
}

/** A source password is masked before anything could print it, even an error from the plan. */
function maskSecrets(inputs: ImageInputs): void {
  if (inputs.sourceCredentials) mask(inputs.sourceCredentials.password);
}

/**
 * `docker build -t <registry>/app:sha .` then `image: <registry>/app:sha` is the most common workflow, and
 * that name also reads as "copy from <registry>". When `image` has no explicit transport (`docker://`,
 * `docker-daemon:`, …), names a tag (not a digest) and the local daemon has an image by that name, the local
 * image wins — a tag in the registry may well be an older build. Only otherwise is it a promotion inside ECR or
 * a copy from the registry. A daemon that cannot be asked means "not local".
 */
export async function preferLocalImage(inputs: ImageInputs): Promise<ImageInputs> {
  const explicit = /^(?:oci-layout|oci|docker-archive|docker-daemon|docker):/.test(inputs.image);
  // A digest names exact content, which the registry holds authoritatively: promote or copy it from there.
  if (inputs.source.kind !== 'remote' || explicit || inputs.source.reference.startsWith('sha256:'))
    return inputs;
  const local = await imageExists(inputs.image).catch(() => false);
  return local ? { ...inputs, source: { kind: 'docker', image: inputs.image } } : inputs;
}

/**
 * Reads only: the image to publish must be there before anything is written anywhere. A file or registry
 * source is opened and its manifests read, which also proves a registry source's credentials. Returns the
 * platforms the image is built for (from its config or index), for the plan's check against the task
 * definition's runtimePlatform; empty when the source does not say.
 */
export async function checkImageSource(inputs: ImageInputs): Promise<ImagePlatform[]> {
  maskSecrets(inputs);
  const { source } = inputs;
  if (source.kind === 'docker') {
    if (!(await imageExists(source.image))) {
      throw inputError(
        'image',
        inputs.image,
        'an image the local Docker daemon has (build or pull it first)',
      );
    }
    return dockerImagePlatforms(source.image);
  }
  const opened = await openImageSource(source, inputs.sourceCredentials);
  try {
    return await sourcePlatforms(opened);
  } finally {
    await opened.close();
  }
}

/** Where the image goes: the ECR repository, under every tag, with the ECR login's Basic credentials. */
function ecrDestination(login: RegistryLogin, inputs: ImageInputs): Destination {
  return {
    host: login.registry,
    repository: inputs.repository,
    tags: inputs.tags,
    credentials: { username: login.username, password: login.password },
    who: 'the ECR login',
  };
}

async function loginDocker(login: RegistryLogin, log: Logger): Promise<void> {
  await dockerLogin(login);
  log.info(`Logged in to ${login.registry}`);
}

/**
 * The publishing stage: ECR login, then the source `image` names by its form. A local Docker image is
 * tagged and pushed with the docker CLI; a layout, archive or registry image is copied by the daemonless
 * OCI client.
 */
export async function publishImage(
  ecr: ECRClient,
  inputs: ImageInputs,
  log: Logger,
  ecrPlan?: EcrPlan,
): Promise<PublishedImage> {
  maskSecrets(inputs);
  const { source, tags } = inputs;
  // docker logs in before anything is written: a registry whose certificate dockerd does not trust, or a
  // refused login, fails with no repository made yet. (A local image is never a promotion.) A new ECR Public
  // repository names its host only once it exists: that login waits for it.
  const hostKnown = !ecrPlan?.ecrPublic || ecrPlan.repository.uri !== undefined;
  const token = source.kind === 'docker' && hostKnown ? await registryLogin(ecr, ecrPlan) : undefined;
  const early = token && pushTarget(token, ecrPlan);
  if (early) await loginDocker(early, log);
  // The plan's ECR side: a missing repository is created (create-repository); an image already in the
  // repository is promoted by PutImage inside ECR, and nothing is pushed.
  const promoted = ecrPlan ? await publishInEcr(ecr, ecrPlan, tags, log.info) : undefined;
  if (promoted) return promoted;
  const login = pushTarget(token ?? (await registryLogin(ecr, ecrPlan)), ecrPlan);
  // On ECR Public the repository sits under the registry's alias (`<alias>/<name>`).
  const repository = pushRepository(ecrPlan, inputs.repository);
  if (source.kind === 'docker') {
    // A repository just created names its registry in its URI: log in there too if that is another host.
    if (login.registry !== early?.registry) await loginDocker(login, log);
    return dockerPush({ image: source.image, registry: login.registry, repository, tags, log: log.info });
  }
  const opened = await openImageSource(source, inputs.sourceCredentials);
  try {
    return await pushImage(opened, ecrDestination(login, { ...inputs, repository }), { log: log.info });
  } finally {
    await opened.close();
  }
}

/**
 * For `dry-run: true`: the reference a push would give, with the digest left open. The ECR login is
 * checked (GetAuthorizationToken reads only) so it shows the real registry: the same login and destination
 * the push would use, another account's registry or ECR Public included.
 */
export async function pendingImageUri(
  ecr: ECRClient,
  inputs: ImageInputs,
  log: Logger,
  ecrPlan?: EcrPlan,
): Promise<string> {
  const login = pushTarget(await registryLogin(ecr, ecrPlan), ecrPlan);
  log.info(`ECR login works for ${login.registry}`);
  return `${login.registry}/${pushRepository(ecrPlan, inputs.repository)}@sha256:(digest of the push)`;
}

/**
 * For an offline dry run: where the push would go, as far as the inputs tell without asking AWS. The
 * account (and the alias of ECR Public) is only known to AWS, so a part the inputs do not give is named.
 */
export function offlineImageUri(inputs: ImageInputs, target: RegistryTarget, region: string): string {
  const host =
    target.kind === 'public'
      ? `public.ecr.aws/${target.alias ?? '(alias)'}`
      : `${target.registryId ?? '(account)'}.dkr.ecr.${target.region ?? (region || '(region)')}.amazonaws.com`;
  return `${host}/${inputs.repository}@sha256:(digest of the push)`;
}
