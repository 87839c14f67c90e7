import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  type CreateRepositoryCommandInput,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { isNamed } from '../../aws/errors.js';
import { UserError } from '../../errors.js';
import type { NewRepositorySettings, RegistryInputs } from '../../inputs/registry.js';
import { registryHost } from '../reference.js';

/** The target repository as the plan found it. */
export interface RepositoryPlan {
  name: string;
  /** Another account's registry, or undefined for the caller's own. */
  registryId: string | undefined;
  /** `host/name` where images go; undefined until a missing repository is created. */
  uri: string | undefined;
  /** Set when the repository is missing and `create-repository` asks for it. */
  create: NewRepositorySettings | undefined;
  /** IMMUTABLE repositories refuse to move a tag; said in the error for a conflicting tag. */
  immutable: boolean;
}

/** `host` of a repository URI (`123.dkr.ecr.eu-west-1.amazonaws.com/app` → the host). */
export function hostOf(repositoryUri: string): string {
  return registryHost(repositoryUri.slice(0, repositoryUri.indexOf('/')));
}

function whereIs(registryId: string | undefined): string {
  return registryId ? `registry ${registryId}` : "this account's registry";
}

/** Pure: CreateRepository's request for the settings the inputs gave. */
export function createRepositoryRequest(
  name: string,
  registryId: string | undefined,
  settings: NewRepositorySettings,
): CreateRepositoryCommandInput {
  return {
    repositoryName: name,
    ...(registryId ? { registryId } : {}),
    imageTagMutability: settings.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
    encryptionConfiguration: {
      encryptionType: settings.encryptionType,
      ...(settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
    },
  };
}

/**
 * A read for the plan: DescribeRepositories. A missing repository is an error the user fixes, unless
 * `create-repository` is true; then the publish stage creates it (the first write).
 */
export async function planRepository(
  ecr: ECRClient,
  name: string,
  inputs: RegistryInputs,
): Promise<RepositoryPlan> {
  // planEcr sends ECR Public targets to planPublicRepository; reaching here with one is a bug, not input.
  if (inputs.target.kind === 'public') throw new Error('planRepository is for private registries only.');
  const { registryId, region } = inputs.target;
  const clientRegion = await ecr.config.region();
  if (region !== undefined && region !== clientRegion) {
    throw new UserError(
      `Input 'registry' names a registry in ${region}, but the step works in ${clientRegion}: set aws-region: ${region} or name a registry in ${clientRegion}.`,
    );
  }
  let found: Repository | undefined;
  try {
    const out = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [name], ...(registryId ? { registryId } : {}) }),
    );
    found = out.repositories?.[0];
  } catch (err) {
    if (!isNamed(err, 'RepositoryNotFoundException')) throw err;
  }
  if (found?.repositoryUri) {
    return {
      name,
      registryId,
      uri: found.repositoryUri,
      create: undefined,
      immutable: found.imageTagMutability?.startsWith('IMMUTABLE') ?? false,
    };
  }
  if (!inputs.create) {
    throw new UserError(
      `Repository '${name}' does not exist in ${whereIs(registryId)}; create it or set create-repository: true.`,
    );
  }
  return {
    name,
    registryId,
    uri: undefined,
    create: inputs.create,
    immutable: inputs.create.imageTagMutability === 'IMMUTABLE',
  };
}

/**
 * Creates the repository the plan found missing, private or public alike; returns its URI. Another run
 * creating it first is fine: then it is described instead.
 */
export async function createMissingRepository(
  plan: RepositoryPlan,
  registry: 'ECR' | 'ECR Public',
  calls: {
    create: (settings: NewRepositorySettings) => Promise<string | undefined>;
    describe: () => Promise<string | undefined>;
  },
  log: (line: string) => void,
): Promise<string> {
  if (plan.uri) return plan.uri;
  if (!plan.create) throw new Error(`Repository '${plan.name}' has no URI and is not to be created.`);
  try {
    plan.uri = await calls.create(plan.create);
  } catch (err) {
    if (!isNamed(err, 'RepositoryAlreadyExistsException')) throw err;
    log(`Repository ${plan.name} was created meanwhile; using it`);
    plan.uri = await calls.describe();
  }
  if (!plan.uri) throw new Error(`${registry} returned no URI for repository '${plan.name}'.`);
  return plan.uri;
}

export async function ensureRepository(
  ecr: ECRClient,
  plan: RepositoryPlan,
  log: (line: string) => void,
): Promise<string> {
  const { name, registryId } = plan;
  const create = async (settings: NewRepositorySettings) => {
    const out = await ecr.send(
      new CreateRepositoryCommand(createRepositoryRequest(name, registryId, settings)),
    );
    const { imageTagMutability, scanOnPush, encryptionType } = settings;
    log(
      `Created repository ${name} in ${whereIs(registryId)} (${imageTagMutability}, scan on push ${scanOnPush ? 'on' : 'off'}, ${encryptionType})`,
    );
    return out.repository?.repositoryUri;
  };
  const describe = async () => {
    const out = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [name], ...(registryId ? { registryId } : {}) }),
    );
    return out.repositories?.[0]?.repositoryUri;
  };
  return createMissingRepository(plan, 'ECR', { create, describe }, log);
}
