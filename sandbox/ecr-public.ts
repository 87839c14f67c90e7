import { ACCOUNT_ID } from './ecs/model.js';
import { AwsError, type RequestContext } from './http.js';

/**
 * ECR Public (X-Amz-Target `SpencerFrontendService.<Op>`, reached with AWS_ENDPOINT_URL_ECR_PUBLIC) in
 * front of the same real registry as private ECR. The sandbox cannot be `public.ecr.aws`: repository URIs
 * are `<sandbox registry host>/<alias>/<name>`, which is where the action pushes (it takes the host from
 * the URI, as it must for real ECR Public too). Only created repositories exist, as in AWS.
 */
export interface EcrPublicState {
  /** The registry's alias (`public.ecr.aws/<alias>`); tests may change it. */
  alias: string;
  repositories: Map<string, { name: string; createdAt: number; catalogData: Record<string, unknown> }>;
}

export function newEcrPublicState(): EcrPublicState {
  return { alias: 'ecs-ship-sandbox', repositories: new Map() };
}

type Body = Record<string, unknown>;

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** A repository's ARN: ECR Public is global, so the ARN has no region. */
export const ecrPublicRepositoryArn = (name: string): string =>
  `arn:aws:ecr-public::${ACCOUNT_ID}:repository/${name}`;

function view(host: string, state: EcrPublicState, name: string, createdAt: number): Body {
  return {
    repositoryArn: ecrPublicRepositoryArn(name),
    registryId: ACCOUNT_ID,
    repositoryName: name,
    repositoryUri: `${host}/${state.alias}/${name}`,
    createdAt: new Date(createdAt),
  };
}

const notFound = (name: string) =>
  new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${ACCOUNT_ID}'`,
  );

export function handleEcrPublic(
  registry: { host: string; password: string },
  state: EcrPublicState,
  ctx: RequestContext,
  now: number,
): unknown {
  // The API exists only in us-east-1; a client signing for another region would not reach it at all.
  if (ctx.region !== 'us-east-1') {
    throw new AwsError('UnsupportedCommandException', `ECR Public is not available in ${ctx.region}.`);
  }
  const body: Body = ctx.body;
  switch (ctx.operation) {
    case 'GetAuthorizationToken':
      return {
        authorizationData: {
          authorizationToken: Buffer.from(`AWS:${registry.password}`).toString('base64'),
          expiresAt: new Date(now + 12 * 3600 * 1000),
        },
      };
    case 'DescribeRegistries':
      return {
        registries: [
          {
            registryId: ACCOUNT_ID,
            registryArn: `arn:aws:ecr-public::${ACCOUNT_ID}:registry/${ACCOUNT_ID}`,
            registryUri: `${registry.host}/${state.alias}`,
            verified: false,
            aliases: [
              { name: state.alias, status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true },
            ],
          },
        ],
      };
    case 'DescribeRepositories': {
      const names = Array.isArray(body.repositoryNames)
        ? body.repositoryNames.map(String)
        : [...state.repositories.keys()];
      const repositories = names.map((n) => {
        const repo = state.repositories.get(n);
        if (!repo) throw notFound(n);
        return view(registry.host, state, repo.name, repo.createdAt);
      });
      return { repositories };
    }
    case 'CreateRepository': {
      const name = String(body.repositoryName ?? '');
      if (!REPOSITORY_NAME.test(name) || name.length < 2 || name.length > 205) {
        throw new AwsError(
          'InvalidParameterException',
          `Invalid parameter at 'repositoryName' failed to satisfy constraint: '${name}'`,
        );
      }
      if (state.repositories.has(name)) {
        throw new AwsError(
          'RepositoryAlreadyExistsException',
          `The repository with name '${name}' already exists in the registry with id '${ACCOUNT_ID}'`,
        );
      }
      const catalogData = (body.catalogData ?? {}) as Record<string, unknown>;
      state.repositories.set(name, { name, createdAt: now, catalogData });
      return { repository: view(registry.host, state, name, now), catalogData };
    }
    default:
      throw new AwsError(
        'UnsupportedCommandException',
        `The sandbox does not implement ECR Public ${ctx.operation}.`,
      );
  }
}
