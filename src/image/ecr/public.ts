import {
  CreateRepositoryCommand,
  DescribeRegistriesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRPUBLICClient,
} from '@aws-sdk/client-ecr-public';
import { isNamed } from '../../aws/errors.js';
import { UserError } from '../../errors.js';
import type { NewRepositorySettings } from '../../inputs/registry.js';
import { decodeAuthorizationToken, type RegistryLogin } from './login.js';
import { createMissingRepository, type RepositoryPlan } from './repository.js';

// ECR Public (public.ecr.aws). Loaded only through a dynamic import (plan.ts): it pulls in its own SDK.
// Repository URIs are `public.ecr.aws/<alias>/<name>`; the registry host and the alias are taken from the
// URIs the API returns, never assumed, so a stand-in registry (the sandbox) needs no switch here.

export const PUBLIC_REGISTRY = 'public.ecr.aws';

/** Pure: the alias in `<host>/<alias>/<name>`, or undefined when the URI has no alias part. */
export function aliasOf(repositoryUri: string, name: string): string | undefined {
  const path = repositoryUri.slice(repositoryUri.indexOf('/') + 1);
  if (!path.endsWith(`/${name}`)) return undefined;
  const alias = path.slice(0, -name.length - 1);
  return alias === '' ? undefined : alias;
}

/** The aliases this account's public registry answers to (DescribeRegistries), a read. */
export async function registryAliases(client: ECRPUBLICClient): Promise<string[]> {
  const out = await client.send(new DescribeRegistriesCommand({}));
  return (out.registries ?? []).flatMap((r) =>
    (r.aliases ?? []).flatMap((a) => (a.status === 'ACTIVE' && a.name ? [a.name] : [])),
  );
}

function wrongAlias(asked: string, actual: string[]): UserError {
  const have = actual.length > 0 ? actual.map((a) => `${PUBLIC_REGISTRY}/${a}`).join(', ') : 'no alias';
  return new UserError(
    `Input 'registry' is '${PUBLIC_REGISTRY}/${asked}', but this account's ECR Public registry is ${have}: ` +
      `use that (or just ${PUBLIC_REGISTRY}).`,
  );
}

/**
 * A read for the plan: DescribeRepositories, and DescribeRegistries when a repository is to be created
 * under an alias the user named. A missing repository is an error the user fixes unless `create` is set.
 */
export async function planPublicRepository(
  client: ECRPUBLICClient,
  name: string,
  alias: string | undefined,
  create: NewRepositorySettings | undefined,
): Promise<RepositoryPlan> {
  let uri: string | undefined;
  try {
    const out = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    uri = out.repositories?.[0]?.repositoryUri;
  } catch (err) {
    if (!isNamed(err, 'RepositoryNotFoundException')) throw err;
  }
  const plan = { name, registryId: undefined, immutable: false };
  if (uri) {
    const actual = aliasOf(uri, name);
    if (alias !== undefined && actual !== alias) throw wrongAlias(alias, actual ? [actual] : []);
    return { ...plan, uri, create: undefined };
  }
  const where = `this account's ECR Public registry${alias ? ` (${PUBLIC_REGISTRY}/${alias})` : ''}`;
  if (!create) {
    throw new UserError(
      `Repository '${name}' does not exist in ${where}; create it or set create-repository: true.`,
    );
  }
  if (alias !== undefined) {
    const aliases = await registryAliases(client);
    if (!aliases.includes(alias)) throw wrongAlias(alias, aliases);
  }
  return { ...plan, uri: undefined, create };
}

/**
 * Creates the public repository the plan found missing; returns its URI. ECR Public's CreateRepository
 * takes no mutability, scanning or encryption settings (the inputs refuse them); catalog data is left
 * for the user to fill in on the gallery.
 */
export async function ensurePublicRepository(
  client: ECRPUBLICClient,
  plan: RepositoryPlan,
  log: (line: string) => void,
): Promise<string> {
  const repositoryName = plan.name;
  const create = async () => {
    const uri = (await client.send(new CreateRepositoryCommand({ repositoryName }))).repository
      ?.repositoryUri;
    log(`Created public repository ${repositoryName}${uri ? ` (${uri})` : ''}`);
    return uri;
  };
  const describe = async () =>
    (await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] })))
      .repositories?.[0]?.repositoryUri;
  return createMissingRepository(plan, 'ECR Public', { create, describe }, log);
}

/**
 * Credentials for the public registry: base64 `AWS:<password>`, as private ECR's. Token and password are
 * masked before anything could print them. ECR Public gives no endpoint with them: the registry is
 * `public.ecr.aws`, and the push goes to the host of the repository's URI (see pushTarget).
 */
export async function getPublicLogin(client: ECRPUBLICClient): Promise<RegistryLogin> {
  const out = await client.send(new GetAuthorizationTokenCommand({}));
  const credentials = decodeAuthorizationToken(out.authorizationData?.authorizationToken, 'ECR Public');
  return { registry: PUBLIC_REGISTRY, ...credentials, expiresAt: out.authorizationData?.expiresAt };
}
