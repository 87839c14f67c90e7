import { connect } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { getOctokit } from '@actions/github';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { missingTools, startEnvironment } from '../../sandbox/environment.js';
import { startRegistry } from '../../sandbox/registry.js';
import { signedFetch } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');

function run(command: string, args: string[], env: Record<string, string>, input = '') {
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.on('close', (code) => done({ code, output }));
    child.stdin.end(input);
  });
}

describe('startEnvironment', () => {
  it('finds every tool it needs on this machine', () => {
    expect(missingTools()).toEqual([]);
  });

  it('gives env under which docker logs into the registry with the ECR token, and stops cleanly', async () => {
    const environment = await startEnvironment({ timeScale: 20, docker: true });
    let stopped = false;
    try {
      const { env } = environment;
      expect(Object.keys(env).sort()).toEqual([
        'AWS_ACCESS_KEY_ID',
        'AWS_EC2_METADATA_DISABLED',
        'AWS_ENDPOINT_URL_CODEDEPLOY',
        'AWS_ENDPOINT_URL_ECR',
        'AWS_ENDPOINT_URL_ECR_PUBLIC',
        'AWS_ENDPOINT_URL_ECS',
        'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
        'AWS_ENDPOINT_URL_IAM',
        'AWS_ENDPOINT_URL_STS',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'DOCKER_CONFIG',
        'DOCKER_HOST',
        'NODE_EXTRA_CA_CERTS',
      ]);
      // The SDK finds the sandbox through AWS_ENDPOINT_URL_ECR alone, as the action will.
      const saved = { ...process.env };
      Object.assign(process.env, env);
      const ecr = new ECRClient({});
      const token = await ecr.send(new GetAuthorizationTokenCommand({})).finally(() => {
        ecr.destroy();
        process.env = saved;
      });
      const [user, password] = Buffer.from(token.authorizationData?.[0]?.authorizationToken ?? '', 'base64')
        .toString()
        .split(':');
      const login = await run(
        'docker',
        ['login', '--username', user ?? '', '--password-stdin', environment.registry.host],
        env,
        password,
      );
      expect(login).toMatchObject({ code: 0, output: expect.stringContaining('Login Succeeded') });

      const dirs = [
        environment.registry.rootDir,
        env.DOCKER_CONFIG ?? '',
        // Our own dockerd's directory goes with it; a daemon that was already running is left alone.
        ...(environment.docker?.kind === 'started'
          ? [(env.DOCKER_HOST ?? '').replace(/^unix:\/\/|\/docker\.sock$/g, '')]
          : []),
      ];
      await environment.stop();
      stopped = true;
      expect(dirs.filter((d) => existsSync(d))).toEqual([]);
      await expect(fetch(`${environment.registry.url}/v2/`)).rejects.toThrow();
      await expect(fetch(`${environment.registry.plainUrl}/v2/`)).rejects.toThrow();
      await expect(fetch(environment.aws.endpoint)).rejects.toThrow();
    } finally {
      if (!stopped) await environment.stop();
    }
  }, 60_000);

  it('with github: adds the runner variables, serves GitHub to octokit and the ID token, and stops it', async () => {
    const environment = await startEnvironment({ timeScale: 20, docker: false, github: true });
    let stopped = false;
    try {
      const { env, github } = environment;
      expect(env).toMatchObject({
        GITHUB_API_URL: github.apiUrl,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'org/app',
        GITHUB_RUN_ID: String(github.run.runId),
        GITHUB_SHA: github.run.sha,
        GITHUB_EVENT_NAME: 'push',
        ACTIONS_ID_TOKEN_REQUEST_URL: github.oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.oidc.requestToken,
      });
      expect(existsSync(env.GITHUB_EVENT_PATH ?? '')).toBe(true);
      const octokit = getOctokit(github.token, { baseUrl: env.GITHUB_API_URL ?? '' });
      const created = await octokit.rest.repos.createDeployment({
        owner: 'org',
        repo: 'app',
        ref: env.GITHUB_SHA ?? '',
        environment: 'staging',
        required_contexts: [],
      });
      expect(created.status).toBe(201);
      const idToken = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.amazonaws.com`, {
        headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
      });
      expect(idToken.status).toBe(200);

      await environment.stop();
      stopped = true;
      expect(existsSync(env.GITHUB_EVENT_PATH ?? '')).toBe(false);
      await expect(fetch(github.apiUrl)).rejects.toThrow();
      await expect(fetch(github.oidc.issuer)).rejects.toThrow();
    } finally {
      if (!stopped) await environment.stop();
    }
  }, 60_000);
});

/** Starts the CLI without dockerd; resolves with its env lines and the registry host it reports. */
async function startCli() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sandbox/cli.ts', '--no-docker', '--time-scale', '20'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((done) =>
    child.on('exit', (code, signal) => done(code ?? (signal && -1))),
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const env: Record<string, string> = {};
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'READY') break;
    const [key, ...value] = line.split('=');
    env[key ?? ''] = value.join('=');
  }
  // The banner goes to stderr after the env lines.
  const until = Date.now() + 5000;
  while (!/registry at (\S+);/.test(stderr) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20));
  const registryHost = /registry at (\S+);/.exec(stderr)?.[1] ?? 'registry-host-not-reported';
  const registryDir = /data in (\S+);/.exec(stderr)?.[1];
  return { child, env, registryHost, registryDir, exited };
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

/** Whether anything accepts connections at host:port (the registry's TLS front answers only a trusting client). */
async function listening(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), host ?? '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const started: ChildProcess[] = [];
/** A failed assertion must not leave the CLI (and so the test run) hanging. */
function afterKill(child: ChildProcess): void {
  started.push(child);
}
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('sandbox/cli.ts', () => {
  it('prints the env lines, serves until SIGTERM, then exits 0 and stops the registry', async () => {
    const { child, env, registryHost, exited } = await startCli();
    afterKill(child);
    expect(env.AWS_REGION).toBe('us-east-1');
    const ping = await signedFetch(
      env.AWS_ENDPOINT_URL_ECS ?? '',
      'AmazonEC2ContainerServiceV20141113.ListClusters',
      '{}',
    );
    expect(await ping.json()).toEqual({
      clusterArns: ['arn:aws:ecs:us-east-1:123456789012:cluster/default'],
    });
    expect(await listening(registryHost)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await answers(env.AWS_ENDPOINT_URL_ECS ?? '')).toBe(false);
    expect(await listening(registryHost)).toBe(false);
  }, 30_000);

  it('leaves no registry behind when it is killed outright', async () => {
    const { child, env, registryHost, registryDir, exited } = await startCli();
    afterKill(child);
    expect(await listening(registryHost)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    const until = Date.now() + 5000;
    while ((await listening(registryHost)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await listening(registryHost)).toBe(false);
    // Its CA in docker's certs.d is swept by the next registry to start.
    const next = await startRegistry();
    await next.stop();
    expect(existsSync(`/etc/docker/certs.d/${registryHost}`)).toBe(false);
    // Nobody was left to remove the temp dirs; the test does.
    for (const dir of [registryDir, env.DOCKER_CONFIG])
      if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);
});
