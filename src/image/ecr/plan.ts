import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { createEcrPublicClient } from '../../aws/clients.js';
import type { ImageInputs } from '../../inputs/image.js';
import type { RegistryInputs } from '../../inputs/registry.js';
import { getEcrLogin, type RegistryLogin } from './login.js';
import { imageUri } from '../reference.js';
import { promoteTags, promotionReference, readSourceImage, type SourceManifest } from './promote.js';
import { ensureRepository, hostOf, planRepository, type RepositoryPlan } from './repository.js';

/** What the plan learned about the ECR side of publishing. */
export interface EcrPlan {
  repository: RepositoryPlan;
  /** Set when `image` already is in the target repository: its tags are added inside ECR. */
  promotion: SourceManifest | undefined;
  /** Set when the target is ECR Public: its own API (us-east-1), login and CreateRepository. */
  ecrPublic?: ECRPUBLICClient;
}

// ECR Public's module (and its SDK) is imported only when a step targets public.ecr.aws.
const publicEcr = () => import('./public.js');

/**
 * Reads only (DescribeRepositories, and BatchGetImage for a promotion): the repository exists or will be
 * created, and an image to promote is there.
 */
export async function planEcr(
  ecr: ECRClient,
  image: ImageInputs,
  registry: RegistryInputs,
  log: (line: string) => void,
  publicClient: () => Promise<ECRPUBLICClient> = createEcrPublicClient,
): Promise<EcrPlan> {
  if (registry.target.kind === 'public') {
    // No promotion inside ECR Public (it has no BatchGetImage): an image already there is copied by the
    // OCI client, which re-pushes only the manifest as the registry has every blob.
    const client = await publicClient();
    const { planPublicRepository } = await publicEcr();
    const { alias } = registry.target;
    const repository = await planPublicRepository(client, image.repository, alias, registry.create);
    if (repository.create) log(`Public repository ${repository.name} does not exist yet: it will be created`);
    return { repository, promotion: undefined, ecrPublic: client };
  }
  const repository = await planRepository(ecr, image.repository, registry);
  if (repository.create) log(`Repository ${repository.name} does not exist yet: it will be created`);
  const reference = promotionReference(image.source, repository.uri);
  const promotion = reference ? await readSourceImage(ecr, repository, image.image, reference) : undefined;
  if (promotion) log(`${image.image} is already in ${repository.name}: promotion by tag, nothing to push`);
  return { repository, promotion };
}

/**
 * The ECR part of publishing, before any push: create the repository if the plan said so, and promote
 * inside ECR when the image is already there (then the result is the published image; no push follows).
 */
export async function publishInEcr(
  ecr: ECRClient,
  plan: EcrPlan,
  tags: string[],
  log: (line: string) => void,
): Promise<{ imageUri: string; digest: string } | undefined> {
  const uri = plan.ecrPublic
    ? await (await publicEcr()).ensurePublicRepository(plan.ecrPublic, plan.repository, log)
    : await ensureRepository(ecr, plan.repository, log);
  if (!plan.promotion) return undefined;
  await promoteTags(ecr, plan.repository, plan.promotion, tags, log);
  const digest = plan.promotion.digest;
  return { imageUri: imageUri(hostOf(uri), plan.repository.name, { digest }), digest };
}

/** Pushes go to the repository's own registry (another account's, when `registry` names one). */
export function pushTarget(login: RegistryLogin, plan: EcrPlan | undefined): RegistryLogin {
  const uri = plan?.repository.uri;
  return uri ? { ...login, registry: hostOf(uri) } : login;
}

/** The login for the target registry: ECR Public's own token, or the private registry's. */
export async function registryLogin(ecr: ECRClient, plan: EcrPlan | undefined): Promise<RegistryLogin> {
  if (plan?.ecrPublic) return (await publicEcr()).getPublicLogin(plan.ecrPublic);
  return getEcrLogin(ecr);
}

/** The repository's path on its registry: `<alias>/<name>` on ECR Public, the name on a private one. */
export function pushRepository(plan: EcrPlan | undefined, name: string): string {
  const uri = plan?.repository.uri;
  return uri ? uri.slice(uri.indexOf('/') + 1) : name;
}
