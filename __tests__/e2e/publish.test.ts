import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDockerDaemon, type DockerDaemon } from '../../sandbox/dockerd.js';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { indexTar } from '../../src/image/oci/tar.js';
import { startBearerFront, startFront, writeOciLayout, type Front } from './publish-helpers.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';

const exec = promisify(execFile);

// The ECR registry is a real distribution registry behind a recording front: ECR's proxyEndpoint points at
// the front, so every byte the action sends to "ECR" is counted, and a connection can be cut on purpose.
let registry: RegistryProcess;
let front: Front;
let aws: AwsSandbox;
let docker: DockerDaemon;
let ecs: ECSClient;
let env: Record<string, string>;
let work: string;

beforeAll(async () => {
  // Plain HTTP behind a fault-injecting front (startFront): the loopback registry a developer runs, which the
  // client reaches when HTTPS finds plain HTTP, as Docker does. Every other e2e pushes over TLS.
  [registry, docker] = await Promise.all([startRegistry({ tls: false }), openDockerDaemon()]);
  front = await startFront(registry.url);
  aws = await startAwsSandbox({
    registry: { url: front.url, host: front.host, username: registry.username, password: registry.password },
    timeScale: 10,
  });
  env = {
    AWS_ENDPOINT_URL_ECS: aws.endpoint,
    AWS_ENDPOINT_URL_ECR: aws.endpoint,
    AWS_ACCESS_KEY_ID: SANDBOX_USER.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_USER.secretAccessKey,
    AWS_REGION: 'us-east-1',
    ...docker.env,
  };
  ecs = sandboxEcs(env);
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(env, 'archive', 'copied', 'denied', 'flaky', 'layout', 'multi');
  work = await mkdtemp(join(tmpdir(), 'ecs-ship-publish-'));
}, 60_000);

afterAll(async () => {
  await closeAndCheck(aws);
  await front?.close();
  await registry?.stop();
  await docker?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const sha = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const basic = () => `Basic ${Buffer.from(`AWS:${registry.password}`).toString('base64')}`;

/** `skopeo inspect --raw` of what the registry holds under repo@digest. */
async function inspectRaw(repo: string, digest: string): Promise<Buffer> {
  const { stdout } = await exec(
    'skopeo',
    [
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `AWS:${registry.password}`,
      `docker://${front.host}/${repo}@${digest}`,
    ],
    { encoding: 'buffer', env: { ...process.env, HOME: work } },
  );
  return stdout;
}

/**
 * Reads the pushed image back as a client pulling it would: the manifest (and an index's manifests) by
 * skopeo, every blob by GET, each hashed against its digest. Returns the manifests read.
 */
async function verifyPushed(repo: string, digest: string): Promise<Record<string, unknown>[]> {
  const raw = await inspectRaw(repo, digest);
  expect(sha(raw)).toBe(digest);
  const manifest = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  const read = [manifest];
  if (Array.isArray(manifest.manifests)) {
    for (const child of manifest.manifests as { digest: string }[])
      read.push(...(await verifyPushed(repo, child.digest)));
    return read;
  }
  const blobs = [manifest.config, ...(manifest.layers as unknown[])] as { digest: string; size: number }[];
  for (const blob of blobs) {
    const res = await fetch(`${registry.url}/v2/${repo}/blobs/${blob.digest}`, {
      headers: { authorization: basic() },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect({ digest: sha(bytes), size: bytes.length }).toEqual({ digest: blob.digest, size: blob.size });
  }
  return read;
}

/** `docker login` with the password on stdin, never on argv. */
async function dockerLogin(host: string, dockerEnv: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn('docker', ['login', host, '-u', 'AWS', '--password-stdin'], {
    env: dockerEnv,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(registry.password);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`docker login ${host} failed: ${stderr}`);
}

async function deployedImage(result: StepResult): Promise<string | undefined> {
  const arn = result.outputs['task-definition-arn'] ?? '';
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  return taskDefinition?.containerDefinitions?.[0]?.image;
}

async function ship(service: string, inputs: Record<string, string>) {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  return runAction({
    inputs: { repository: service, tags: 'v1', service, 'poll-seconds': '0.2', ...inputs },
    env,
    post: false,
  });
}

describe('publishing from an OCI layout', () => {
  let layout: string;
  let digest: string;
  let first: StepResult;

  beforeAll(async () => {
    layout = join(work, 'layout');
    digest = await writeOciLayout(layout, 'v1', [
      { os: 'linux', architecture: 'amd64', layers: [300_000, 40_000] },
    ]);
    ({ main: first } = await ship('layout', { image: `oci-layout:${layout}:v1` }));
  }, 60_000);

  it('pushes the layout without docker and deploys its digest', async () => {
    expect({ code: first.code, errors: errorLines(first) }).toEqual({ code: 0, errors: [] });
    expect(first.outputs['image-digest']).toBe(digest);
    expect(first.outputs['image-uri']).toBe(`${front.host}/layout@${digest}`);
    expect(await deployedImage(first)).toBe(first.outputs['image-uri']);
    expect(first.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('stores exactly the layout manifest and blobs', async () => {
    const [manifest] = await verifyPushed('layout', digest);
    const fromLayout = await readFile(join(layout, 'blobs', 'sha256', digest.slice(7)));
    expect(Buffer.from(JSON.stringify(manifest))).toEqual(fromLayout);
  });

  it('re-pushes an unchanged image with 0 blob bytes in at most 1 s', async () => {
    const since = Date.now();
    const { main } = await runAction({
      inputs: {
        image: `oci-layout:${layout}:v1`,
        repository: 'layout',
        tags: 'v1',
        service: 'layout',
        wait: 'false',
      },
      env,
      post: false,
    });
    expect(main.code).toBe(0);
    const ours = front.requests.filter((r) => r.at >= since && r.userAgent.startsWith('ecs-ship'));
    expect(ours.length).toBeGreaterThan(0);
    expect(front.uploadedBytes(since)).toBe(0);
    expect(ours.filter((r) => r.method === 'PATCH' || r.method === 'POST')).toEqual([]);
    const last = ours[ours.length - 1]?.at ?? 0;
    expect(last - (ours[0]?.at ?? 0)).toBeLessThanOrEqual(1000);
    expect(main.stdout).toMatch(/3 already there, 0 mounted, 0 uploaded \(0 B\)/);
  }, 30_000);
});

describe('publishing a multi-platform OCI index', () => {
  it('pushes the index and every platform, and deploys the index digest', async () => {
    const layout = join(work, 'multi');
    const digest = await writeOciLayout(layout, 'multi', [
      { os: 'linux', architecture: 'amd64', layers: [200_000] },
      { os: 'linux', architecture: 'arm64', layers: [150_000] },
    ]);
    const { main } = await ship('multi', { image: `oci-layout:${layout}:multi` });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['image-digest']).toBe(digest);
    const [index, ...platforms] = await verifyPushed('multi', digest);
    expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(platforms).toHaveLength(2);
    expect(await deployedImage(main)).toBe(`${front.host}/multi@${digest}`);
  }, 60_000);
});

describe('publishing a docker save archive', () => {
  const dockerEnv = () => ({ ...process.env, ...docker.env });
  let archive: string;
  let id: string;

  beforeAll(async () => {
    await buildTinyImage(docker.env, 'archive-app:v1');
    archive = join(work, 'archive.tar');
    await exec('docker', ['save', '-o', archive, 'archive-app:v1'], { env: dockerEnv() });
    const inspect = ['image', 'inspect', '--format', '{{.Id}}', 'archive-app:v1'];
    id = (await exec('docker', inspect, { env: dockerEnv() })).stdout.trim();
  }, 60_000);

  it('pushes gzip layers, config digest equal to the image ID, and docker pulls the same image', async () => {
    const { main } = await ship('archive', { image: `docker-archive:${archive}` });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    const digest = main.outputs['image-digest'] ?? '';
    const [manifest] = await verifyPushed('archive', digest);
    const layers = manifest?.layers as { mediaType: string; size: number }[];
    expect(manifest?.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(layers.length).toBeGreaterThan(0);
    expect(layers.map((l) => l.mediaType)).toEqual(
      layers.map(() => 'application/vnd.docker.image.rootfs.diff.tar.gzip'),
    );
    expect((manifest?.config as { digest: string }).digest).toBe(id);
    // Each layer went up smaller than docker saved it.
    const entries = await indexTar(archive);
    const saved = JSON.parse(
      (await readFile(archive))
        .subarray(
          entries.get('manifest.json')?.offset ?? 0,
          (entries.get('manifest.json')?.offset ?? 0) + (entries.get('manifest.json')?.size ?? 0),
        )
        .toString('utf8'),
    ) as { Layers: string[] }[];
    const savedSizes = saved[0]?.Layers.map((name) => entries.get(name)?.size ?? 0) ?? [];
    expect(layers.map((l, i) => l.size < (savedSizes[i] ?? 0))).toEqual(layers.map(() => true));
    // What went over the wire is the compressed layers (plus the config), not the saved tars.
    expect(main.stdout).toMatch(/Blobs: 0 already there, 0 mounted, \d+ uploaded/);
    expect(await deployedImage(main)).toBe(`${front.host}/archive@${digest}`);

    // docker itself pulls it back: it gunzips every layer and checks it against the config's diff_ids.
    const ref = `${front.host}/archive@${digest}`;
    await exec('docker', ['rmi', 'archive-app:v1'], { env: dockerEnv() });
    await dockerLogin(front.host, dockerEnv());
    await exec('docker', ['pull', ref], { env: dockerEnv() });
    const pulled = await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], {
      env: dockerEnv(),
    });
    expect(pulled.stdout.trim()).toBe(id);
  }, 90_000);

  it('re-pushes the archive with 0 blob bytes', async () => {
    const since = Date.now();
    const { main } = await runAction({
      inputs: {
        image: `docker-archive:${archive}`,
        repository: 'archive',
        tags: 'v1',
        service: 'archive',
        wait: 'false',
      },
      env,
      post: false,
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(front.uploadedBytes(since)).toBe(0);
    expect(main.stdout).toMatch(/Blobs: \d+ already there, 0 mounted, 0 uploaded \(0 B\)/);
  }, 30_000);
});

describe('copying from another registry with Bearer auth', () => {
  let source: RegistryProcess;
  let bearer: Awaited<ReturnType<typeof startBearerFront>>;
  const robot = { username: 'robot', password: randomBytes(18).toString('base64url') };
  let sourceDigest: string;

  beforeAll(async () => {
    source = await startRegistry({ auth: false, tls: false });
    bearer = await startBearerFront(source.url, robot);
    const layout = join(work, 'remote');
    await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [250_000] }]);
    await exec(
      'skopeo',
      ['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${source.host}/team/app:v1`],
      {
        env: { ...process.env, HOME: work },
      },
    );
    // skopeo writes its own manifest: the digest to expect is the one the source registry serves.
    const head = await fetch(`${source.url}/v2/team/app/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    sourceDigest = head.headers.get('docker-content-digest') ?? '';
    expect(sourceDigest).toMatch(/^sha256:/);
  }, 60_000);

  afterAll(async () => {
    await bearer?.close();
    await source?.stop();
  });

  it('copies the image by its digest after the token dance', async () => {
    const { main } = await ship('copied', {
      image: `${bearer.host}/team/app:v1`,
      'source-username': robot.username,
      'source-password': robot.password,
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['image-digest']).toBe(sourceDigest);
    await verifyPushed('copied', sourceDigest);
    expect(bearer.tokenRequests).toContainEqual({ scopes: ['repository:team/app:pull'], ok: true });
    expect(await deployedImage(main)).toBe(`${front.host}/copied@${sourceDigest}`);
    expect(main.stdout).toContain(`::add-mask::${robot.password}`);
  }, 60_000);

  it('fails on a wrong password with one clear line, no secret shown and no AWS write', async () => {
    const wrong = `${robot.password}-wrong`;
    const writesBefore = aws.writes().length;
    const { main } = await ship('denied', {
      image: `${bearer.host}/team/app:v1`,
      'source-username': robot.username,
      'source-password': wrong,
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      `::error::Registry ${bearer.host} refused source-username/source-password for user 'robot' (401 Unauthorized).`,
    ]);
    const shown = `${main.stdout}\n${main.stderr}`.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(shown.join('\n')).not.toContain(wrong);
    // Seeding the service wrote; the action itself wrote nothing.
    expect(
      aws
        .writes()
        .slice(writesBefore)
        .map((w) => w.operation),
    ).toEqual(['RegisterTaskDefinition', 'CreateService']);
  }, 60_000);
});

describe('a connection cut in the middle of a layer upload', () => {
  it('retries the layer and pushes the right digest', async () => {
    const layout = join(work, 'flaky');
    const digest = await writeOciLayout(layout, 'v1', [
      { os: 'linux', architecture: 'amd64', layers: [6_000_000] },
    ]);
    front.cutNextUploadAfter = 2_000_000;
    const { main } = await ship('flaky', { image: `oci-layout:${layout}:v1` });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(front.cutNextUploadAfter).toBeUndefined();
    expect(main.stdout).toMatch(/Upload of sha256:[0-9a-f]{64} failed \(.*\); retrying in/);
    expect(main.outputs['image-digest']).toBe(digest);
    await verifyPushed('flaky', digest);
  }, 60_000);
});
