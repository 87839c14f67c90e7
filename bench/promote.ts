import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startEnvironment } from '../sandbox/environment.js';
import { planEcr, publishInEcr } from '../src/image/ecr/plan.js';
import { parseImageSource } from '../src/inputs/image-source.js';
import { figure, type Figure } from './results-file.js';
import { SANDBOX_USER } from '../sandbox/iam.js';

const sha = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Pushes a one-layer image straight to the registry (no daemon), as a build job would have. */
async function pushImage(url: string, auth: string, repository: string, tag: string, layerBytes: number) {
  const headers = { authorization: `Basic ${auth}` };
  const blob = async (data: Buffer): Promise<{ digest: string; size: number }> => {
    const digest = sha(data);
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
    const location = new URL(start.headers.get('location') ?? '', url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: data,
    });
    if (!put.ok) throw new Error(`blob upload failed: ${put.status}`);
    return { digest, size: data.length };
  };
  const layer = await blob(randomBytes(layerBytes));
  const config = await blob(
    Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
    ),
  );
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  });
  const res = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  if (!res.ok) throw new Error(`manifest upload failed: ${res.status}`);
  return { digest: sha(manifest), bytes: layer.size + config.size + manifest.length };
}

async function storedBytes(root: string): Promise<number> {
  const dir = join(root, 'data', 'docker', 'registry', 'v2', 'blobs');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('/data'));
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Promotion: a new tag on an image already in the ECR repository, through the action's own plan and
 * publish code against the sandbox (real registry behind it). API calls against the target of 3; blob
 * bytes the registry stored for it against what pushing the image again would upload.
 */
export async function promoteFigures(): Promise<Figure[]> {
  const environment = await startEnvironment({ docker: false });
  try {
    const { registry, aws } = environment;
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    const pushed = await pushImage(registry.url, auth, 'bench', 'staging', 5 * 1024 * 1024);
    const ecr = new ECRClient({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: SANDBOX_USER,
    });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'bench' }));
    const image = `${registry.host}/bench@${pushed.digest}`;
    const source = parseImageSource(image);
    if ('error' in source) throw new Error(source.error);
    const bytesBefore = await storedBytes(registry.rootDir);
    const callsBefore = aws.requests.length;
    const inputs = { image, repository: 'bench', tags: ['production'], source };
    const registryInputs = {
      target: { kind: 'private' as const, registryId: undefined, region: undefined },
      create: undefined,
      scanGate: undefined,
    };
    const plan = await planEcr(ecr, inputs, registryInputs, () => undefined);
    const result = await publishInEcr(ecr, plan, inputs.tags, () => undefined);
    if (result?.digest !== pushed.digest) throw new Error('promotion did not report the source digest');
    const calls = aws.requests.length - callsBefore;
    const moved = (await storedBytes(registry.rootDir)) - bytesBefore;
    return [
      figure('promote_api_calls', calls, 'calls', 'target 3', 3),
      figure('promote_blob_bytes', moved, 'bytes', 'pushing the image again', pushed.bytes),
    ];
  } finally {
    await environment.stop();
  }
}
