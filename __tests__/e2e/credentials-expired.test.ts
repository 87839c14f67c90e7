import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContainerDefinition, ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import { callsOf, errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { gitHubTrustPolicy } from '../../sandbox/trust.js';

/**
 * Keys AWS refuses as expired before their own Expiration (a revoked session, a clock off), in the middle
 * of a rollout with `role-to-assume`: the step assumes the role again once and repeats the refused call,
 * and the rollout's verdict is reached; when assuming it again fails, one line says why. Run as the runner
 * runs the bundle, against the sandbox's STS, whose sessions the test expires early.
 */

let environment: Environment & { github: GitHubSandbox };
let ecs: ECSClient;
let oidcEnv: Record<string, string>;
let provider: string;

const ROLE = 'arn:aws:iam::123456789012:role/early';

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false, github: true });
  ecs = sandboxEcs(environment.env);
  provider = [...environment.aws.iam.oidcProviders.values()][0]?.arn ?? '';
  environment.aws.iam.addRole('early', {
    trustPolicy: gitHubTrustPolicy(provider, { sub: 'repo:org/app:*' }),
  });
  // A runner with `permissions: id-token: write` and no AWS keys.
  const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...rest } = environment.env;
  oidcEnv = rest;
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** Once the step holds keys and is watching, expire every session now; `then` runs right after. */
async function expireMidRollout(then: () => void = () => undefined): Promise<void> {
  const until = Date.now() + 30_000;
  // This run's own: the sessions and calls of an earlier test do not count.
  const sessionsBefore = environment.aws.iam.sessions.size;
  const requestsBefore = environment.aws.requests.length;
  while (Date.now() < until) {
    const watching = environment.aws.requests
      .slice(requestsBefore)
      .some((r) => r.operation === 'ListServiceDeployments' && /\becs-ship\//.test(r.userAgent));
    if (watching && environment.aws.iam.sessions.size > sessionsBefore) {
      then();
      for (const s of environment.aws.iam.sessions.values()) s.expiresAt = Date.now();
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the step never started watching');
}

async function slowDeploy(service: string, during: () => Promise<void>): Promise<StepResult> {
  const slow: ContainerDefinition = {
    name: service,
    image: 'public.ecr.aws/nginx/nginx:stable',
    essential: true,
    healthCheck: { command: ['CMD-SHELL', 'sleep 100 && true'], interval: 5, retries: 3 },
  };
  await seedService(ecs, { service, desiredCount: 1, containers: [slow] });
  await waitSteady(ecs, service);
  const [{ main }] = await Promise.all([
    runAction({
      inputs: {
        service,
        containers: `${service}=public.ecr.aws/nginx/nginx:1.27`,
        'role-to-assume': ROLE,
        'poll-seconds': '0.2',
      },
      env: oidcEnv,
      post: false,
    }),
    during(),
  ]);
  return main;
}

/** Every secret the sandbox's STS handed out, and every ID token the runner's endpoint gave. */
function assertNoSecrets(main: StepResult, minSessions: number): void {
  const seen = [main.stdout, main.stderr, main.summary, JSON.stringify(main.outputs)]
    .join('\n')
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  const sessions = [...environment.aws.iam.sessions.values()];
  expect(sessions.length).toBeGreaterThanOrEqual(minSessions);
  for (const s of sessions) {
    expect(seen).not.toContain(s.secretAccessKey);
    expect(seen).not.toContain(s.sessionToken);
  }
  expect(seen).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
}

describe('keys refused as expired before their Expiration', () => {
  let main: StepResult;

  beforeAll(async () => {
    main = await slowDeploy('early', () => expireMidRollout());
  }, 120_000);

  it('are renewed once and the refused call repeated: the rollout verdict is reached', () => {
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const lines = main.stdout.split('\n').filter((l) => l.includes('as expired'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^AWS refused the keys of arn:aws:iam::123456789012:role\/early as expired \(ExpiredTokenException on ECS \w+\) before their expiry; assumed the role again \(the new keys expire at \S+\) and retried the call\.$/,
    );
  });

  it('asked STS twice in all, and no call after the renewal was refused', () => {
    const calls = callsOf(main, environment.aws.requests);
    const assumed = calls.filter((r) => r.operation === 'AssumeRoleWithWebIdentity');
    expect(assumed).toHaveLength(2);
    const renewedAt = assumed[1]?.at.getTime() ?? 0;
    const refused = calls.filter((r) => r.fault !== undefined);
    expect(refused.every((r) => r.at.getTime() <= renewedAt)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(1);
  });

  it('shows no key, session token or ID token', () => {
    assertNoSecrets(main, 2);
  });
});

describe('a renewal that fails', () => {
  let main: StepResult;

  beforeAll(async () => {
    main = await slowDeploy('norenew', () =>
      expireMidRollout(() => {
        // The role stops trusting this repository: the second AssumeRoleWithWebIdentity is refused.
        const role = environment.aws.iam.roles.get(ROLE);
        if (role) role.trustPolicy = gitHubTrustPolicy(provider, { sub: 'repo:org/other:*' });
      }),
    );
  }, 120_000);

  it('fails with one line naming the refused call and why the renewal failed', () => {
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::Rollout FAILED: AWS refused the keys of arn:aws:iam::123456789012:role\/early as expired \(ExpiredTokenException on ECS \w+\), and assuming the role again failed: STS refused the GitHub ID token for arn:aws:iam::123456789012:role\/early .*sub 'repo:org\/app:ref:refs\/heads\/main'/,
    );
  });

  it('shows no key, session token or ID token', () => {
    assertNoSecrets(main, 1);
  });
});
