/**
 * A role with an IAM path (`role/team/deploy/NAME`): its sessions' ARNs drop the path, so the early permission
 * check must simulate the role's real ARN — `role-to-assume` as given, or the one iam:GetRole answers for
 * credentials from an earlier step — or IAM answers NoSuchEntity and the check is silently skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import type { Role } from '../../sandbox/iam.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { gitHubTrustPolicy } from '../../sandbox/trust.js';

let environment: Environment & { github: GitHubSandbox };
let ecs: ECSClient;
let provider: string;

// Everything a deploy reads and registers, and the simulator; never ecs:UpdateService.
const NO_UPDATE = ['ecr:*', 'ecs:Describe*', 'ecs:List*', 'ecs:RegisterTaskDefinition', 'iam:Simulate*'];

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false, github: true });
  ecs = sandboxEcs(environment.env);
  provider = [...environment.aws.iam.oidcProviders.values()][0]?.arn ?? '';
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

function pathRole(name: string, allow: string[]): Role {
  return environment.aws.iam.addRole(name, {
    path: '/team/deploy/',
    trustPolicy: gitHubTrustPolicy(provider, { sub: 'repo:org/app:*' }),
    allow,
  });
}

/** Keys of a session of `role`, as configure-aws-credentials would leave in the environment. */
function sessionEnv(role: Role): Record<string, string> {
  const session = environment.aws.iam.startSession(role, 'earlier-step', 3600, Date.now());
  const {
    ACTIONS_ID_TOKEN_REQUEST_URL: _url,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: _token,
    ...rest
  } = environment.env;
  return {
    ...rest,
    AWS_ACCESS_KEY_ID: session.accessKeyId,
    AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
    AWS_SESSION_TOKEN: session.sessionToken,
  };
}

async function deployAs(service: string, role: Role, env: Record<string, string>, inputs = {}) {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
  const since = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: {
      service,
      containers: `${service}=public.ecr.aws/nginx/nginx:1.27`,
      'poll-seconds': '0.2',
      ...inputs,
    },
    env,
    post: false,
  });
  const writes = environment.aws.requests
    .slice(since)
    .filter((r) => r.write && r.service !== 'sts' && r.principal?.includes(`assumed-role/${role.name}/`))
    .map((r) => r.operation);
  return { main, writes };
}

describe('a role with a path lacking ecs:UpdateService', () => {
  it('role-to-assume: fails before any write naming the action and the role ARN with its path', async () => {
    const role = pathRole('path-oidc', NO_UPDATE);
    expect(role.arn).toBe('arn:aws:iam::123456789012:role/team/deploy/path-oidc');
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...oidcEnv } = environment.env;
    const { main, writes } = await deployAs('path-oidc', role, oidcEnv, { 'role-to-assume': role.arn });
    expect({ code: main.code, errors: errorLines(main), writes }).toEqual({
      code: 1,
      errors: [
        expect.stringMatching(
          /before any change: arn:aws:iam::123456789012:role\/team\/deploy\/path-oidc may not ecs:UpdateService on \S+service\/default\/path-oidc .*allow ecs:UpdateService/,
        ),
      ],
      writes: [],
    });
  }, 90_000);

  it("credentials from an earlier step: the role's ARN comes from iam:GetRole, path included", async () => {
    const role = pathRole('path-session', [...NO_UPDATE, 'iam:GetRole']);
    const { main, writes } = await deployAs('path-session', role, sessionEnv(role));
    expect({ code: main.code, errors: errorLines(main), writes }).toEqual({
      code: 1,
      errors: [
        expect.stringMatching(
          /before any change: arn:aws:iam::123456789012:role\/team\/deploy\/path-session may not ecs:UpdateService .*allow ecs:UpdateService/,
        ),
      ],
      writes: [],
    });
  }, 90_000);

  it('a role that may not iam:GetRole: the check is skipped with a debug line, the call names the action', async () => {
    const role = pathRole('path-noget', NO_UPDATE);
    const { main } = await deployAs('path-noget', role, sessionEnv(role));
    expect(main.stdout).toMatch(
      /^::debug::Permission check skipped \(AccessDenied: User: \S+assumed-role\/path-noget\/earlier-step is not authorized to perform: iam:GetRole /m,
    );
    expect(errorLines(main)).toEqual([expect.stringMatching(/allow ecs:UpdateService/)]);
  }, 90_000);
});
