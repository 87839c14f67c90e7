// docker.ts against a real dockerd and a real registry behind basic auth, as ECR is.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { dockerLogout } from '../../../src/image/docker-cli.js';
import { dockerLogin, imageExists, pushImage } from '../../../src/image/docker.js';
import { type DockerDaemon, openDockerDaemon } from '../../../sandbox/dockerd.js';
import { type RegistryProcess, startRegistry } from '../../../sandbox/registry.js';
import { registryDigest } from '../../../sandbox/registry-api.js';
import { importImage } from './engine.js';

let registry: RegistryProcess;
let engine: DockerDaemon;
let PASSWORD: string;
let stateFile: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [registry, engine] = await Promise.all([startRegistry(), openDockerDaemon()]);
  PASSWORD = registry.password;
  // @actions/exec passes the test's environment to docker: point it at our engine and config only.
  Object.assign(process.env, engine.env);
  stateFile = join(tmpdir(), `github-state-${process.pid}`);
  await writeFile(stateFile, '');
  process.env['GITHUB_STATE'] = stateFile;
  await importImage(engine.env, 'local/app:1', 'hello from ecs-ship\n');
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([registry?.stop(), engine?.stop(), rm(stateFile, { force: true })]);
});

const auths = async (): Promise<Record<string, unknown>> => {
  const config = JSON.parse(await readFile(join(engine.env.DOCKER_CONFIG, 'config.json'), 'utf8')) as {
    auths?: Record<string, unknown>;
  };
  return config.auths ?? {};
};

describe('docker against a real engine and registry', () => {
  it('refuses a wrong password with a UserError that does not echo it', async () => {
    const wrong = `${PASSWORD}-wrong`;
    const err = await dockerLogin({
      registry: registry.host,
      username: 'AWS',
      password: wrong,
      expiresAt: undefined,
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err?.message).toMatch(new RegExp(`^docker login to ${registry.host} failed: .*unauthorized`, 'i'));
    expect(err?.message).not.toContain(wrong);
    expect(await readFile(stateFile, 'utf8')).toBe('');
  });

  it('logs in and records the registry for the post step', async () => {
    await dockerLogin({ registry: registry.host, username: 'AWS', password: PASSWORD, expiresAt: undefined });
    expect(Object.keys(await auths())).toContain(registry.host);
    expect(await readFile(stateFile, 'utf8')).toContain(registry.host);
  });

  it('knows which images the engine has', async () => {
    await expect(imageExists('local/app:1')).resolves.toBe(true);
    await expect(imageExists('local/app:missing')).resolves.toBe(false);
  });

  it('pushes every tag and returns the digest the registry serves for them', async () => {
    const lines: string[] = [];
    const pushed = await pushImage({
      image: 'local/app:1',
      registry: registry.host,
      repository: 'shop/web',
      tags: ['v1.0.0', 'latest'],
      log: (l) => lines.push(l),
    });
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pushed.imageUri).toBe(`${registry.host}/shop/web@${pushed.digest}`);
    expect(await registryDigest(registry, 'shop/web', 'v1.0.0')).toBe(pushed.digest);
    expect(await registryDigest(registry, 'shop/web', 'latest')).toBe(pushed.digest);
    expect(lines.join('\n')).toMatch(/Pushed/);
  });

  it('pushes again without changing the digest', async () => {
    const first = await registryDigest(registry, 'shop/web', 'v1.0.0');
    const lines: string[] = [];
    const again = await pushImage({
      image: 'local/app:1',
      registry: registry.host,
      repository: 'shop/web',
      tags: ['v1.0.0'],
      log: (l) => lines.push(l),
    });
    expect(again.digest).toBe(first);
    expect(lines.join('\n')).toMatch(/Layer already exists/);
  });

  it('reports a push of an image the engine does not have as a UserError', async () => {
    await expect(
      pushImage({
        image: 'local/none:1',
        registry: registry.host,
        repository: 'shop/web',
        tags: ['x'],
        log: () => {},
      }),
    ).rejects.toThrow(/^docker tag local\/none:1 .* failed: .*No such image/);
  });

  it('logs out, removing the credential from the docker config', async () => {
    await dockerLogout(registry.host);
    expect(Object.keys(await auths())).not.toContain(registry.host);
  });
});
