import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContainerDefinition, ECSClient } from '@aws-sdk/client-ecs';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { buildTinyImage, sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { gitHubTrustPolicy } from '../../sandbox/trust.js';

let environment: Environment & { github: GitHubSandbox };
let ecs: ECSClient;
let oidcEnv: Record<string, string>;
let argvLog: string;

const ROLE = 'arn:aws:iam::123456789012:role/deploy';

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true, github: true });
  ecs = sandboxEcs(environment.env);
  const provider = [...environment.aws.iam.oidcProviders.values()][0]?.arn ?? '';
  environment.aws.iam.addRole('deploy', {
    trustPolicy: gitHubTrustPolicy(provider, { sub: 'repo:org/app:*' }),
  });
  environment.aws.iam.addRole('no-update', {
    trustPolicy: gitHubTrustPolicy(provider, { sub: 'repo:org/app:*' }),
    allow: [
      'ecr:*',
      'ecs:Describe*',
      'ecs:List*',
      'ecs:RegisterTaskDefinition',
      'iam:SimulatePrincipalPolicy',
    ],
  });
  environment.aws.iam.addRole('other-repo', {
    trustPolicy: gitHubTrustPolicy(provider, { sub: 'repo:org/other:*' }),
  });
  // A `docker` first on PATH that writes down its arguments, then runs the real one: what a child's argv held.
  const shims = await mkdtemp(join(tmpdir(), 'ecs-ship-argv-'));
  argvLog = join(shims, 'argv.log');
  await writeFile(argvLog, '');
  await writeFile(
    join(shims, 'docker'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> "${argvLog}"\nPATH="${process.env.PATH}" exec docker "$@"\n`,
  );
  await chmod(join(shims, 'docker'), 0o755);
  // Only what a runner with `permissions: id-token: write` has: no AWS keys at all.
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = environment.env;
  oidcEnv = { ...rest, PATH: `${shims}:${process.env.PATH}` };
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** What a person or a later step could see; `::add-mask::` lines are consumed by the runner. */
async function everything(result: StepResult): Promise<string> {
  const shown = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
  const files = await Promise.all(
    ['output', 'state', 'env', 'summary'].map((f) => readFile(join(result.workDir, f), 'utf8')),
  );
  return [shown(result.stdout), shown(result.stderr), ...files, await readFile(argvLog, 'utf8')].join('\n');
}

async function deploy(
  service: string,
  inputs: Record<string, string>,
  { env = oidcEnv, containers }: { env?: Record<string, string>; containers?: ContainerDefinition[] } = {},
) {
  await seedService(ecs, {
    service,
    desiredCount: containers ? 1 : 2,
    ...(containers ? { containers } : {}),
  });
  await waitSteady(ecs, service);
  const from = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: { service, repository: service, 'create-repository': 'true', 'poll-seconds': '0.2', ...inputs },
    env,
    post: false,
  });
  const calls = environment.aws.requests.slice(from).filter((r) => /\becs-ship\//.test(r.userAgent));
  return { main, calls };
}

describe('role-to-assume with the GitHub ID token', () => {
  let main: StepResult;
  let calls: typeof environment.aws.requests;

  beforeAll(async () => {
    await buildTinyImage(environment.env, 'oidc-app:1');
    ({ main, calls } = await deploy('oidc', { image: 'oidc-app:1', 'role-to-assume': ROLE }));
  }, 120_000);

  it('deploys with no AWS keys in the environment', () => {
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(main.stdout).toMatch(
      /Assumed arn:aws:iam::123456789012:role\/deploy \(session ecs-ship-app-9120000001\)/,
    );
  });

  it('signs every call after AssumeRoleWithWebIdentity with the assumed keys', () => {
    const [first, ...rest] = calls;
    expect([first?.service, first?.operation, first?.accessKeyId]).toEqual([
      'sts',
      'AssumeRoleWithWebIdentity',
      undefined,
    ]);
    expect(rest.map((r) => r.service)).toEqual(expect.arrayContaining(['ecr', 'ecs']));
    const signers = new Set(rest.map((r) => r.principal));
    expect([...signers]).toEqual(['arn:aws:sts::123456789012:assumed-role/deploy/ecs-ship-app-9120000001']);
    expect(rest.every((r) => r.fault === undefined)).toBe(true);
  });

  it('asked the runner for a token with the STS audience', () => {
    expect(environment.github.oidc.requests.at(-1)).toMatchObject({
      audience: 'sts.amazonaws.com',
      status: 200,
    });
  });

  it('shows no key, session token or ID token anywhere, argv included', async () => {
    const seen = await everything(main);
    const sessions = [...environment.aws.iam.sessions.values()];
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) {
      expect(seen).not.toContain(s.secretAccessKey);
      expect(seen).not.toContain(s.sessionToken);
    }
    expect(seen).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
    expect(await readFile(join(main.workDir, 'env'), 'utf8')).toBe('');
    expect(await readFile(argvLog, 'utf8')).toMatch(/login/);
  });
});

describe('keys that expire during the rollout', () => {
  it('are renewed before they expire, and the verdict is reached', async () => {
    // Sessions of 60 sandbox seconds (3 s here) against a rollout whose tasks turn healthy only after 200
    // (10 s): the watch outlives several sessions.
    environment.aws.iam.sessionLifetime = 60;
    try {
      const slow: ContainerDefinition = {
        name: 'renew',
        image: 'public.ecr.aws/nginx/nginx:stable',
        essential: true,
        healthCheck: { command: ['CMD-SHELL', 'sleep 200 && true'], interval: 5, retries: 3 },
      };
      const { main, calls } = await deploy(
        'renew',
        { containers: 'renew=public.ecr.aws/nginx/nginx:1.27', 'role-to-assume': ROLE },
        { containers: [slow] },
      );
      expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
      expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
      const renewals = main.stdout
        .split('\n')
        .filter((l) => l.includes('Renewed the credentials of arn:aws:iam::123456789012:role/deploy'));
      expect(renewals.length).toBeGreaterThan(0);
      const assumed = calls.filter((r) => r.operation === 'AssumeRoleWithWebIdentity');
      expect(assumed.length).toBe(renewals.length + 1);
      expect(calls.filter((r) => r.fault !== undefined)).toEqual([]);
    } finally {
      environment.aws.iam.sessionLifetime = undefined;
    }
  }, 120_000);
});

describe('refusals name the fix, in one line, before any write', () => {
  const refused = async (service: string, inputs: Record<string, string>, env = oidcEnv) => {
    const { main, calls } = await deploy(
      service,
      { containers: `${service}=public.ecr.aws/nginx/nginx:1.27`, ...inputs },
      { env },
    );
    expect(main.code).not.toBe(0);
    expect(calls.filter((r) => r.write && r.service !== 'sts')).toEqual([]);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    return errors[0] ?? '';
  };

  it('no id-token permission: names `permissions: id-token: write`', async () => {
    const { ACTIONS_ID_TOKEN_REQUEST_URL: _url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: _token, ...env } = oidcEnv;
    const line = await refused('no-token', { 'role-to-assume': ROLE }, env);
    expect(line).toMatch(
      /^::error::Input 'role-to-assume' needs a GitHub ID token.*`permissions: id-token: write`/,
    );
  }, 60_000);

  it('a wrong audience: quotes the claims and what the OIDC provider must list', async () => {
    const line = await refused('wrong-aud', { 'role-to-assume': ROLE, audience: 'https://github.com/org' });
    expect(line).toContain('STS refused the GitHub ID token for arn:aws:iam::123456789012:role/deploy');
    expect(line).toContain(
      "sub 'repo:org/app:ref:refs/heads/main', aud 'https://github.com/org', repository 'org/app', ref 'refs/heads/main'",
    );
    expect(line).toMatch(/must list 'https:\/\/github.com\/org' as an audience/);
    expect(line).not.toMatch(/eyJ/);
  }, 60_000);

  it('a sub the trust policy does not admit: quotes the claims and the condition that would', async () => {
    const line = await refused('wrong-sub', {
      'role-to-assume': 'arn:aws:iam::123456789012:role/other-repo',
    });
    const host = environment.github.oidc.issuer.replace(/^http:\/\//, '');
    expect(line).toContain('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(line).toContain("sub 'repo:org/app:ref:refs/heads/main', aud 'sts.amazonaws.com'");
    expect(line).toContain(`"${host}:sub": "repo:org/app:ref:refs/heads/main"`);
  }, 60_000);
});

describe('an assumed role without a permission', () => {
  it('names the IAM action and the role before any write (IAM policy simulator)', async () => {
    const since = environment.aws.requests.length;
    const { main } = await deploy('no-update', {
      containers: 'no-update=public.ecr.aws/nginx/nginx:1.27',
      'role-to-assume': 'arn:aws:iam::123456789012:role/no-update',
    });
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/allow ecs:UpdateService/);
    expect(errors[0]).toContain('arn:aws:iam::123456789012:role/no-update');
    expect(errors[0]).toMatch(/before any change/);
    const writes = environment.aws.requests
      .slice(since)
      .filter((r) => r.write && r.service !== 'sts' && r.principal?.includes('assumed-role/no-update/'));
    expect(writes.map((r) => r.operation)).toEqual([]);
  }, 60_000);
});
