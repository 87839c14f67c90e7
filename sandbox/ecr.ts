import { createHash } from 'node:crypto';
import { AwsError, type RequestContext } from './http.js';
import { ACCOUNT_ID } from './ecs/model.js';
import type { RegistryAccess } from './images.js';

export interface EcrRegistry extends RegistryAccess {
  url: string;
}

export interface Repository {
  name: string;
  createdAt: number;
  imageTagMutability: string;
}

export interface EcrState {
  repositories: Map<string, Repository>;
}

type Body = Record<string, unknown>;

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

function repositoryView(region: string, registry: EcrRegistry, repo: Repository): Body {
  return {
    repositoryArn: `arn:aws:ecr:${region}:${ACCOUNT_ID}:repository/${repo.name}`,
    registryId: ACCOUNT_ID,
    repositoryName: repo.name,
    // Real ECR: <account>.dkr.ecr.<region>.amazonaws.com/<name>; here the fronted registry's host.
    repositoryUri: `${registry.host}/${repo.name}`,
    createdAt: new Date(repo.createdAt),
    imageTagMutability: repo.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

/**
 * Real ECR refuses pushes to a repository nobody created; the registry here accepts them, so a repository
 * the registry already holds counts as existing.
 */
async function repositoryOf(
  registry: EcrRegistry,
  state: EcrState,
  body: Body,
  now: number,
): Promise<Repository> {
  const name = String(body.repositoryName ?? '');
  let repo = state.repositories.get(name);
  if (!repo && name !== '' && (await registryFetch(registry, `/v2/${name}/tags/list`)).ok) {
    repo = { name, createdAt: now, imageTagMutability: 'MUTABLE' };
    state.repositories.set(name, repo);
  }
  if (!repo) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${ACCOUNT_ID}'`,
    );
  }
  return repo;
}

async function registryFetch(registry: EcrRegistry, path: string, init: RequestInit = {}): Promise<Response> {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const headers = new Headers(init.headers);
  headers.set('authorization', `Basic ${auth}`);
  return fetch(`${registry.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(10000) });
}

/** BatchGetImage reads manifests from the real registry, so retagging works against what was pushed. */
async function batchGetImage(registry: EcrRegistry, state: EcrState, body: Body, now: number): Promise<Body> {
  const repo = await repositoryOf(registry, state, body, now);
  const images: Body[] = [];
  const failures: Body[] = [];
  for (const raw of Array.isArray(body.imageIds) ? (body.imageIds as Body[]) : []) {
    const ref = (raw.imageDigest ?? raw.imageTag) as string | undefined;
    const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${ref ?? ''}`, {
      headers: { accept: MANIFEST_TYPES.join(', ') },
    });
    if (!res.ok) {
      failures.push({
        imageId: raw,
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      });
      continue;
    }
    images.push({
      registryId: ACCOUNT_ID,
      repositoryName: repo.name,
      imageId: { imageDigest: res.headers.get('docker-content-digest') ?? undefined, imageTag: raw.imageTag },
      imageManifest: await res.text(),
      imageManifestMediaType: res.headers.get('content-type') ?? undefined,
    });
  }
  return { images, failures };
}

async function putImage(registry: EcrRegistry, state: EcrState, body: Body, now: number): Promise<Body> {
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
      registryId: ACCOUNT_ID,
      repositoryName: repo.name,
      imageId: { imageDigest: res.headers.get('docker-content-digest') ?? undefined, imageTag: tag },
      imageManifest: manifest,
      imageManifestMediaType: mediaType,
    },
  };
}

/** ECR's two "tag exists" errors: same manifest (harmless) or an immutable tag pointing elsewhere. */
async function checkTag(
  registry: EcrRegistry,
  repo: Repository,
  tag: string,
  manifest: string,
): Promise<void> {
  const res = await registryFetch(registry, `/v2/${repo.name}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES.join(', ') },
  });
  if (!res.ok) return;
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  if (res.headers.get('docker-content-digest') === digest) {
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

export function newEcrState(): EcrState {
  return { repositories: new Map() };
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
      if (!/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) {
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
      const mutability = typeof body.imageTagMutability === 'string' ? body.imageTagMutability : 'MUTABLE';
      const repo = { name, createdAt: now, imageTagMutability: mutability };
      state.repositories.set(name, repo);
      return { repository: repositoryView(ctx.region, registry, repo) };
    }
    case 'DescribeRepositories': {
      const names = Array.isArray(body.repositoryNames) ? body.repositoryNames.map(String) : undefined;
      const repos = names
        ? await Promise.all(names.map((n) => repositoryOf(registry, state, { repositoryName: n }, now)))
        : [...state.repositories.values()];
      return { repositories: repos.map((r) => repositoryView(ctx.region, registry, r)) };
    }
    case 'BatchGetImage':
      return batchGetImage(registry, state, body, now);
    case 'PutImage':
      return putImage(registry, state, body, now);
    default:
      throw new AwsError('UnknownOperationException', `The sandbox does not implement ECR ${ctx.operation}.`);
  }
}
