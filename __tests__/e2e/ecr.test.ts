import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { registryDigest } from '../../sandbox/registry-api.js';
import { callsOf, errorLines, runAction } from '../../sandbox/runner.js';
import {
  buildTinyImage,
  createRepositories,
  sandboxEcs,
  seedService,
  waitSteady,
} from '../../sandbox/seed.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';
import { writeOciLayout } from './publish-helpers.js';

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 10, docker: true });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(environment.env, 'clean', 'promo', 'scanned', 'slow');
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** Every blob the registry stores (layers, configs, manifests): what a push adds to. */
async function storedBlobs(): Promise<string[]> {
  const root = join(environment.registry.rootDir, 'data', 'docker', 'registry', 'v2', 'blobs');
  const entries = await readdir(root, { recursive: true });
  return entries.filter((e) => /[0-9a-f]{64}$/.test(e)).sort();
}

/** ECR and ECS calls made since `from`, by operation name. */
const callsSince = (from: number, service: 'ecr' | 'ecs') =>
  environment.aws.requests
    .slice(from)
    .filter((r) => r.service === service)
    .map((r) => r.operation);

async function deploy(service: string, inputs: Record<string, string>) {
  const { main } = await runAction({
    inputs: { service, 'poll-seconds': '0.2', ...inputs },
    env: environment.env,
  });
  return main;
}

describe('build once, promote the same digest by tag inside ECR', () => {
  it('a new tag on an existing ECR image moves 0 blob bytes, makes 3 ECR calls and deploys that digest', async () => {
    await seedService(ecs, { service: 'promo', desiredCount: 1 });
    await waitSteady(ecs, 'promo');
    await buildTinyImage(environment.env, 'promo-app:build-1');
    const built = await deploy('promo', { image: 'promo-app:build-1', repository: 'promo', tags: 'staging' });
    expect(errorLines(built)).toEqual([]);
    const digest = built.outputs['image-digest'] ?? '';
    const host = environment.registry.host;

    const blobsBefore = await storedBlobs();
    expect(blobsBefore.length).toBeGreaterThanOrEqual(3); // layer, config, manifest of the first push
    const from = environment.aws.requests.length;
    const promoted = await deploy('promo', {
      image: `${host}/promo@${digest}`,
      repository: 'promo',
      tags: 'production',
    });

    expect({ code: promoted.code, errors: errorLines(promoted) }).toEqual({ code: 0, errors: [] });
    expect(callsSince(from, 'ecr')).toEqual(['DescribeRepositories', 'BatchGetImage', 'PutImage']);
    expect(await storedBlobs()).toEqual(blobsBefore);
    expect(await registryDigest(environment.registry, 'promo', 'production')).toBe(digest);
    // What `aws ecr describe-images` would show: one image, both tags.
    const ecr = new ECRClient({
      region: 'us-east-1',
      endpoint: environment.aws.endpoint,
      credentials: SANDBOX_USER,
    });
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'promo' }));
    expect(imageDetails?.map((d) => [d.imageDigest, [...(d.imageTags ?? [])].sort()])).toEqual([
      [digest, ['production', 'staging']],
    ]);
    // ...with the facts ECR gives of every image: when, how big, what kind of manifest.
    expect(imageDetails?.[0]).toMatchObject({
      imageManifestMediaType: expect.stringMatching(/^application\/vnd\.(oci|docker)\..*manifest.*\+json$/),
      artifactMediaType: expect.stringMatching(
        /^application\/vnd\.(oci\.image\.config|docker\.container\.image)\./,
      ),
      imageSizeInBytes: expect.any(Number),
      imagePushedAt: expect.any(Date),
    });
    expect(imageDetails?.[0]?.imageSizeInBytes).toBeGreaterThan(0);
    expect(imageDetails?.[0]?.imagePushedAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(promoted.outputs['image-digest']).toBe(digest);
    expect(promoted.outputs['image-uri']).toBe(`${host}/promo@${digest}`);
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: promoted.outputs['task-definition-arn'] ?? '' }),
    );
    expect(taskDefinition?.containerDefinitions?.[0]?.image).toBe(`${host}/promo@${digest}`);
    expect(promoted.outputs['rollout-state']).toBe('SUCCESSFUL');
  }, 120_000);
});

describe('the registry over TLS, as ECR is reached', () => {
  it('pushes over HTTPS when the CA is trusted; an untrusted certificate is one line naming the host and the fix', async () => {
    await seedService(ecs, { service: 'tls', desiredCount: 1 });
    await waitSteady(ecs, 'tls');
    const layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-tls-')), 'layout');
    const digest = await writeOciLayout(layout, 'v1', [
      { os: 'linux', architecture: 'amd64', layers: [20_000] },
    ]);
    const inputs = {
      image: `oci-layout:${layout}:v1`,
      repository: 'tls',
      tags: 'v1',
      'create-repository': 'true',
    };

    const { NODE_EXTRA_CA_CERTS: _ca, ...untrusting } = environment.env;
    const writes = environment.aws.writes().length;
    const refused = await runAction({ inputs: { service: 'tls', ...inputs }, env: untrusting, post: false });
    expect(refused.main.code).toBe(1);
    expect(errorLines(refused.main)).toEqual([
      `::error::Registry ${environment.registry.host} presented a TLS certificate this runner does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE); if a private CA signed it, set NODE_EXTRA_CA_CERTS to the CA's PEM file.`,
    ]);
    expect(
      environment.aws
        .writes()
        .slice(writes)
        .map((w) => w.operation),
    ).not.toContain('RegisterTaskDefinition');
    expect(await registryDigest(environment.registry, 'tls', 'v1')).toBeNull();

    const trusted = await deploy('tls', inputs);
    expect({ code: trusted.code, errors: errorLines(trusted) }).toEqual({ code: 0, errors: [] });
    expect(environment.registry.url).toMatch(/^https:/);
    expect(trusted.outputs['image-uri']).toBe(`${environment.registry.host}/tls@${digest}`);
    expect(await registryDigest(environment.registry, 'tls', 'v1')).toBe(digest);
  }, 90_000);
});

describe('repositories as real ECR has them', () => {
  it('a missing repository fails in the plan with a line that says so, before any write', async () => {
    await seedService(ecs, { service: 'ghost', desiredCount: 1 });
    await buildTinyImage(environment.env, 'ghost-app:1');
    const writes = environment.aws.writes().length;
    const main = await deploy('ghost', { image: 'ghost-app:1', repository: 'ghost', tags: 'v1' });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      "::error::Repository 'ghost' does not exist in this account's registry; create it or set create-repository: true.",
    ]);
    expect(environment.aws.writes().slice(writes)).toEqual([]);
    expect(await registryDigest(environment.registry, 'ghost', 'v1')).toBeNull();
  }, 60_000);

  it('create-repository makes it with the settings asked for; an immutable tag pointing elsewhere is a clear error', async () => {
    await seedService(ecs, { service: 'locked', desiredCount: 1 });
    await waitSteady(ecs, 'locked');
    await buildTinyImage(environment.env, 'locked-app:1', 'one');
    await buildTinyImage(environment.env, 'locked-app:2', 'two');
    const create = {
      'create-repository': 'true',
      'image-tag-mutability': 'IMMUTABLE',
      'scan-on-push': 'true',
      'kms-key': 'alias/ecr-sandbox',
    };
    const from = environment.aws.requests.length;
    const first = await deploy('locked', {
      image: 'locked-app:1',
      repository: 'locked',
      tags: 'v1',
      ...create,
    });
    expect(errorLines(first)).toEqual([]);
    // docker logs in (GetAuthorizationToken reads only) before the repository is made: a registry docker
    // refuses fails with nothing written.
    expect(callsSince(from, 'ecr').slice(0, 3)).toEqual([
      'DescribeRepositories',
      'GetAuthorizationToken',
      'CreateRepository',
    ]);
    expect(environment.aws.state.ecr.repositories.get('locked')).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      scanOnPush: true,
      encryptionType: 'KMS',
      kmsKey: 'alias/ecr-sandbox',
    });

    const second = await deploy('locked', { image: 'locked-app:2', repository: 'locked', tags: 'v2' });
    expect(errorLines(second)).toEqual([]);
    const host = environment.registry.host;
    const revisions = environment.aws.state.taskDefinitions('locked').length;
    const conflict = await deploy('locked', {
      image: `${host}/locked@${second.outputs['image-digest']}`,
      repository: 'locked',
      tags: 'v1',
    });
    expect(conflict.code).toBe(1);
    expect(errorLines(conflict)).toEqual([
      `::error::Tag 'v1' in repository 'locked' already points at another image and the repository's tags are immutable, so ECR will not move it to ${second.outputs['image-digest']}: choose a new tag.`,
    ]);
    expect(await registryDigest(environment.registry, 'locked', 'v1')).toBe(first.outputs['image-digest']);
    expect(environment.aws.state.taskDefinitions('locked')).toHaveLength(revisions);

    // Promoting to the tag the image already has is "already tagged": success. `docker://` says "the
    // registry's image": without it, the local daemon's image of that name (it built v2) would be pushed.
    const again = await deploy('locked', {
      image: `docker://${host}/locked:v2`,
      repository: 'locked',
      tags: 'v2',
    });
    expect({ code: again.code, errors: errorLines(again) }).toEqual({ code: 0, errors: [] });
    expect(again.stdout).toContain(`v2 already points at ${second.outputs['image-digest']}`);
  }, 120_000);
});

describe('scan gate', () => {
  it('waits for the scan and fails before deploying on findings at or above the threshold, counts in the summary', async () => {
    await seedService(ecs, { service: 'scanned', desiredCount: 1 });
    await waitSteady(ecs, 'scanned');
    await buildTinyImage(environment.env, 'scanned-app:1');
    environment.aws.state.ecr.scans.set('scanned', {
      progress: ['PENDING', 'IN_PROGRESS'],
      findings: { CRITICAL: 1, HIGH: 2, LOW: 5 },
    });
    const from = environment.aws.requests.length;
    const main = await deploy('scanned', {
      image: 'scanned-app:1',
      repository: 'scanned',
      tags: 'v1',
      'fail-on-severity': 'high',
    });
    const digest = main.outputs['image-digest'];
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      `::error::Image scan found 3 finding(s) at or above HIGH in ${digest} (CRITICAL 1, HIGH 2, LOW 5): not deploying (fail-on-severity: HIGH).`,
    ]);
    // No scan-on-push here: the action started one, then polled PENDING, IN_PROGRESS, COMPLETE.
    expect(callsSince(from, 'ecr').filter((o) => o !== 'GetAuthorizationToken')).toEqual([
      'DescribeRepositories',
      'DescribeImageScanFindings',
      'StartImageScan',
      'DescribeImageScanFindings',
      'DescribeImageScanFindings',
      'DescribeImageScanFindings',
    ]);
    expect(callsSince(from, 'ecs')).not.toContain('RegisterTaskDefinition');
    expect(callsSince(from, 'ecs')).not.toContain('UpdateService');
    expect(main.summary).toContain('| CRITICAL | 1 |');
    expect(main.summary).toContain('| HIGH | 2 |');
    // The one summary of a step the gate stopped: the scan, then the line it failed with; no deploy.
    expect(main.summary).toMatch(/^### ❌ Image scan: 3 finding\(s\) at or above HIGH, not deployed\n/);
    expect(main.summary).toMatch(
      /\n\n\*\*❌ Step failed:\*\* Image scan found 3 finding\(s\) at or above HIGH in sha256:/,
    );
    expect(main.summary).not.toContain('Deployed');
  }, 60_000);

  it('deploys when enhanced scanning finds nothing at the threshold', async () => {
    await seedService(ecs, { service: 'clean', desiredCount: 1 });
    await waitSteady(ecs, 'clean');
    await buildTinyImage(environment.env, 'clean-app:1');
    environment.aws.state.ecr.scans.set('clean', { enhanced: true, findings: { MEDIUM: 2, UNTRIAGED: 1 } });
    const main = await deploy('clean', {
      image: 'clean-app:1',
      repository: 'clean',
      tags: 'v1',
      'fail-on-severity': 'HIGH',
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(main.stdout).toContain('Scan findings: MEDIUM 2, UNTRIAGED 1');
    expect(main.summary).toContain('Image scan: nothing at or above HIGH');
    expect(main.summary.indexOf('Image scan')).toBeLessThan(main.summary.indexOf('## ✅ Deployed to clean'));
  }, 60_000);

  it('a scan that never finishes is not waited on forever', async () => {
    await seedService(ecs, { service: 'slow', desiredCount: 1 });
    await buildTinyImage(environment.env, 'slow-app:1');
    environment.aws.state.ecr.scans.set('slow', { enhanced: true, progress: [], status: 'IN_PROGRESS' });
    const main = await deploy('slow', {
      image: 'slow-app:1',
      repository: 'slow',
      tags: 'v1',
      'fail-on-severity': 'CRITICAL',
      'scan-timeout-seconds': '1',
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      `::error::Image scan of ${main.outputs['image-digest']} gave no verdict (still IN_PROGRESS after 1 s (scan-timeout-seconds)): not deploying (scan-unavailable: fail).`,
    ]);
    const SCAN_POLL = 'DescribeImageScanFindings';
    // It gave up at its deadline: no more scan polls than 1 s of 0.2 s polls holds, and nothing deployed.
    const polls = callsOf(main, environment.aws.requests).filter((r) => r.operation === SCAN_POLL);
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.length).toBeLessThanOrEqual(1 + 1 / 0.2);
    expect(
      callsOf(main, environment.aws.requests)
        .filter((r) => r.write)
        .map((r) => r.operation),
    ).not.toContain('UpdateService');
  }, 60_000);
});
