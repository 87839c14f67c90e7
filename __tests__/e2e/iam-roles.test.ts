/**
 * The README's role policies, proven: `role-to-assume` with the GitHub ID token, the role trusting the
 * repository by exactly docs/iam/role-to-assume.json (the issuer's host is the sandbox's, not
 * token.actions.githubusercontent.com), and AssumeRole from the environment's keys, whose only permission is
 * docs/iam/assume-role.json. The role's own permissions are the deploy policy, in the sandbox's policy mode.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import { ACCOUNT, providerName } from '../../sandbox/iam.js';
import type { TrustPolicy } from '../../sandbox/trust.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { holdTo, namesFor, policy, refusedSince } from './iam-helpers.js';

let environment: Environment & { github: GitHubSandbox };
let ecs: ECSClient;
let issuerHost: string;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false, github: true });
  ecs = sandboxEcs(environment.env);
  issuerHost = providerName([...environment.aws.iam.oidcProviders.values()][0]?.url ?? '');
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

async function deployAs(service: string, env: Record<string, string>, role: string) {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  const since = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: {
      service,
      containers: `${service}=public.ecr.aws/nginx/nginx:1.27`,
      'role-to-assume': role,
      'poll-seconds': '0.2',
    },
    env,
    post: false,
  });
  return { main, since };
}

describe('role-to-assume under its documented trust policy', () => {
  it('GitHub OIDC: the role trusts the repository by docs/iam/role-to-assume.json; the deploy succeeds', async () => {
    // The repository the runner's ID token names (its `sub`: repo:OWNER/REPO:…).
    const [owner = '', repo = ''] = (environment.env.GITHUB_REPOSITORY ?? '').split('/');
    const names = { ...namesFor('iam-oidc'), OWNER: owner, REPO: repo };
    const trust = JSON.parse(
      JSON.stringify(policy('role-to-assume', names)).replaceAll(
        'token.actions.githubusercontent.com',
        issuerHost,
      ),
    ) as TrustPolicy;
    const role = environment.aws.iam.addRole('iam-oidc-deploy', {
      trustPolicy: trust,
      policies: [policy('deploy', names)],
    });
    // Only what a runner with `permissions: id-token: write` has: no AWS keys.
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...oidcEnv } = environment.env;
    const { main, since } = await deployAs('iam-oidc', oidcEnv, role.arn);
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/iam-oidc-deploy/`;
    const refused = environment.aws.requests
      .slice(since)
      .filter(
        (r) => r.principal?.startsWith(session) && r.fault && r.operation !== 'SimulatePrincipalPolicy',
      );
    expect({ code: main.code, errors: errorLines(main), refused }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    expect(environment.aws.requests.slice(since).some((r) => r.principal?.startsWith(session))).toBe(true);
  }, 120_000);

  it('AssumeRole from the environment: the keys may only sts:AssumeRole (docs/iam/assume-role.json)', async () => {
    const caller = environment.aws.iam.addUser('ci');
    const names = { ...namesFor('iam-chain'), DEPLOY_ROLE: 'iam-chain-deploy' };
    holdTo(environment.aws, caller.arn, [policy('assume-role', names)]);
    const role = environment.aws.iam.addRole('iam-chain-deploy', {
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: caller.arn }, Action: 'sts:AssumeRole' }],
      },
      policies: [policy('deploy', names)],
    });
    const {
      ACTIONS_ID_TOKEN_REQUEST_URL: _url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: _token,
      ...keysEnv
    } = environment.env;
    const env = {
      ...keysEnv,
      AWS_ACCESS_KEY_ID: caller.accessKeyId,
      AWS_SECRET_ACCESS_KEY: caller.secretAccessKey,
    };
    const { main, since } = await deployAs('iam-chain', env, role.arn);
    expect({
      code: main.code,
      errors: errorLines(main),
      refusedCaller: refusedSince(environment.aws, caller.arn, since),
    }).toEqual({ code: 0, errors: [], refusedCaller: [] });
    expect(
      environment.aws.requests
        .slice(since)
        .filter((r) => r.principal === caller.arn)
        .map((r) => r.operation),
    ).toEqual(expect.arrayContaining(['AssumeRole']));
  }, 120_000);
});
