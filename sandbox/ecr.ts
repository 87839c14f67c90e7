import { AwsError, type RequestContext } from './http.js';
import { ACCOUNT_ID } from './ecs/model.js';
import type { RegistryAccess } from './images.js';
import { describeImages, resolveImage } from './ecr-images.js';
import { batchDeleteImage, batchGetImage, putImage } from './ecr-manifests.js';
import { describeImageScanFindings, startImageScan, type ScanScript } from './ecr-scan.js';

export interface EcrRegistry extends RegistryAccess {
  url: string;
}

export interface Repository {
  name: string;
  createdAt: number;
  imageTagMutability: string;
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey: string | undefined;
}

export interface EcrState {
  repositories: Map<string, Repository>;
  /**
   * false (the default), as real ECR: only created repositories exist. true, for a test that names why:
   * any valid repository name exists, as if created before.
   */
  lenientRepositories: boolean;
  /** Scan results tests script per repository name; see ecr-scan.ts. */
  scans: Map<string, ScanScript>;
  /** Per `repo@digest`: DescribeImageScanFindings calls so far (a script advances one status per call). */
  scanCalls: Map<string, number>;
  /** `repo@digest` of images StartImageScan was called for. */
  startedScans: Set<string>;
  /** `repo@digest` → when the sandbox first saw the image (its imagePushedAt). */
  pushedAt: Map<string, number>;
}

export type Body = Record<string, unknown>;

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** ECR answers with the registry the caller named (another account's) or the caller's own. */
export function registryIdOf(body: Body): string {
  return typeof body.registryId === 'string' && body.registryId !== '' ? body.registryId : ACCOUNT_ID;
}

export const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

function newRepository(name: string, now: number, body: Body = {}): Repository {
  const scanning = (body.imageScanningConfiguration ?? {}) as Body;
  const encryption = (body.encryptionConfiguration ?? {}) as Body;
  return {
    name,
    createdAt: now,
    imageTagMutability: typeof body.imageTagMutability === 'string' ? body.imageTagMutability : 'MUTABLE',
    scanOnPush: scanning.scanOnPush === true,
    encryptionType: typeof encryption.encryptionType === 'string' ? encryption.encryptionType : 'AES256',
    kmsKey: typeof encryption.kmsKey === 'string' ? encryption.kmsKey : undefined,
  };
}

function repositoryView(region: string, registry: EcrRegistry, repo: Repository, registryId: string): Body {
  return {
    repositoryArn: `arn:aws:ecr:${region}:${registryId}:repository/${repo.name}`,
    registryId,
    repositoryName: repo.name,
    // Real ECR: <account>.dkr.ecr.<region>.amazonaws.com/<name>; here the fronted registry's host.
    repositoryUri: `${registry.host}/${repo.name}`,
    createdAt: new Date(repo.createdAt),
    imageTagMutability: repo.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: repo.scanOnPush },
    encryptionConfiguration: { encryptionType: repo.encryptionType, kmsKey: repo.kmsKey },
  };
}

/**
 * The repository a request names, or RepositoryNotFoundException as ECR answers. Only `lenientRepositories`
 * makes a never-created name exist (created on first mention).
 */
export async function repositoryOf(
  registry: EcrRegistry,
  state: EcrState,
  body: Body,
  now: number,
): Promise<Repository> {
  const name = String(body.repositoryName ?? '');
  let repo = state.repositories.get(name);
  if (!repo && state.lenientRepositories && REPOSITORY_NAME.test(name)) {
    repo = newRepository(name, now);
    state.repositories.set(name, repo);
  }
  if (!repo) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registryIdOf(body)}'`,
    );
  }
  return repo;
}

export async function registryFetch(
  registry: EcrRegistry,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const headers = new Headers(init.headers);
  headers.set('authorization', `Basic ${auth}`);
  return fetch(`${registry.plainUrl ?? registry.url}${path}`, {
    ...init,
    headers,
    signal: AbortSignal.timeout(10000),
  });
}

export function newEcrState(): EcrState {
  return {
    repositories: new Map(),
    lenientRepositories: false,
    scans: new Map(),
    scanCalls: new Map(),
    startedScans: new Set(),
    pushedAt: new Map(),
  };
}

export async function handleEcr(
  registry: EcrRegistry,
  state: EcrState,
  ctx: RequestContext,
  now: number,
): Promise<unknown> {
  const body = ctx.body;
  switch (ctx.operation) {
    case 'GetAuthorizationToken':
      return {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:${registry.password}`).toString('base64'),
            expiresAt: new Date(now + 12 * 3600 * 1000),
            proxyEndpoint: registry.url,
          },
        ],
      };
    case 'CreateRepository': {
      const name = String(body.repositoryName ?? '');
      if (!REPOSITORY_NAME.test(name)) {
        throw new AwsError(
          'InvalidParameterException',
          `Invalid parameter at 'repositoryName' failed to satisfy constraint: '${name}'`,
        );
      }
      if (state.repositories.has(name)) {
        throw new AwsError(
          'RepositoryAlreadyExistsException',
          `The repository with name '${name}' already exists in the registry with id '${registryIdOf(body)}'`,
        );
      }
      const encryption = (body.encryptionConfiguration ?? {}) as Body;
      if (encryption.kmsKey !== undefined && encryption.encryptionType === 'AES256') {
        throw new AwsError(
          'InvalidParameterException',
          'Invalid parameter at encryptionConfiguration: kmsKey is only allowed with KMS encryption',
        );
      }
      const repo = newRepository(name, now, body);
      state.repositories.set(name, repo);
      return { repository: repositoryView(ctx.region, registry, repo, registryIdOf(body)) };
    }
    case 'DescribeRepositories': {
      const names = Array.isArray(body.repositoryNames) ? body.repositoryNames.map(String) : undefined;
      const repos = names
        ? await Promise.all(
            names.map((n) => repositoryOf(registry, state, { ...body, repositoryName: n }, now)),
          )
        : [...state.repositories.values()];
      return { repositories: repos.map((r) => repositoryView(ctx.region, registry, r, registryIdOf(body))) };
    }
    case 'DescribeImages':
      return describeImages(registry, state, body, now);
    case 'DescribeImageScanFindings': {
      const repo = await repositoryOf(registry, state, body, now);
      return describeImageScanFindings(state, repo, body, await resolveImage(registry, repo, body), now);
    }
    case 'StartImageScan': {
      const repo = await repositoryOf(registry, state, body, now);
      return startImageScan(state, repo, body, await resolveImage(registry, repo, body));
    }
    case 'BatchGetImage':
      return batchGetImage(registry, state, body, now);
    case 'PutImage':
      return putImage(registry, state, body, now);
    case 'BatchDeleteImage':
      return batchDeleteImage(registry, state, body, now);
    default:
      throw new AwsError('UnknownOperationException', `The sandbox does not implement ECR ${ctx.operation}.`);
  }
}
