import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/server.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';
import { parseQuery, queryError, queryResponse, toXml } from '../../sandbox/query.js';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { accountTrustPolicy, gitHubTrustPolicy, trustAllows } from '../../sandbox/trust.js';
import { eventually } from './helpers.js';

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let github: GitHubSandbox;
let providerArn: string;

const TIME_SCALE = 100;

beforeAll(async () => {
  registry = await startRegistry();
  sandbox = await startAwsSandbox({ registry, timeScale: TIME_SCALE });
  github = await startGitHubSandbox();
  providerArn = sandbox.iam.addOidcProvider(github.oidc.issuer).arn;
  sandbox.iam.addRole('deploy', {
    trustPolicy: gitHubTrustPolicy(providerArn, { sub: 'repo:org/app:*' }),
    allow: ['ecs:Describe*', 'sts:GetCallerIdentity'],
  });
  sandbox.iam.addRole('cross-account', {
    trustPolicy: accountTrustPolicy(SANDBOX_USER.arn, 'ext-123'),
  });
}, 30_000);

afterAll(async () => {
  await github?.close();
  await closeAndCheck(sandbox);
  await registry?.stop();
});

const sts = (credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new STSClient({
    region: 'us-east-1',
    endpoint: sandbox.endpoint,
    credentials: credentials ?? SANDBOX_USER,
  });

async function webIdentity(token: string, roleName = 'deploy', durationSeconds?: number) {
  const { Credentials } = await sts().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: `arn:aws:iam::123456789012:role/${roleName}`,
      RoleSessionName: 'ecs-ship-test',
      WebIdentityToken: token,
      ...(durationSeconds ? { DurationSeconds: durationSeconds } : {}),
    }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId ?? '',
    secretAccessKey: Credentials?.SecretAccessKey ?? '',
    sessionToken: Credentials?.SessionToken ?? '',
    expiration: Credentials?.Expiration,
  };
}

describe('the Query protocol (query.ts)', () => {
  it.each([
    [
      'plain parameters',
      'Action=A&Version=1&RoleArn=r&DurationSeconds=900',
      { RoleArn: 'r', DurationSeconds: '900' },
    ],
    ['a member list', 'Action=A&Version=1&Names.member.1=a&Names.member.2=b', { Names: ['a', 'b'] }],
    [
      'a list of structures',
      'Action=A&Version=1&Tags.member.1.Key=k&Tags.member.1.Value=v&Tags.member.2.Key=k2',
      { Tags: [{ Key: 'k', Value: 'v' }, { Key: 'k2' }] },
    ],
    ['a structure', 'Action=A&Version=1&Policy.Name=p', { Policy: { Name: 'p' } }],
  ])('parses %s', (_label, body, params) => {
    expect(parseQuery(body)).toEqual({ action: 'A', version: '1', params });
  });

  it('writes objects, member lists, dates and escaped text as XML', () => {
    expect(toXml({ A: 'x<y', L: ['1', { K: 'v' }], D: new Date(0), Skip: undefined })).toBe(
      '<A>x&lt;y</A><L><member>1</member><member><K>v</K></member></L><D>1970-01-01T00:00:00.000Z</D>',
    );
    const service = { version: '1', xmlns: 'urn:x' };
    expect(queryResponse(service, 'Op', { A: '1' }, 'id')).toContain(
      '<OpResponse xmlns="urn:x"><OpResult><A>1</A></OpResult><ResponseMetadata><RequestId>id</RequestId>',
    );
    expect(queryError(service, { code: 'Bad', message: 'm&m', status: 400 }, 'id')).toContain(
      '<Error><Type>Sender</Type><Code>Bad</Code><Message>m&amp;m</Message></Error><RequestId>id</RequestId>',
    );
  });
});

describe('trust policies (trust.ts)', () => {
  const policy = () =>
    gitHubTrustPolicy('arn:aws:iam::123456789012:oidc-provider/idp', { sub: 'repo:org/app:*' });
  const web = (context: Record<string, string>) => ({
    action: 'sts:AssumeRoleWithWebIdentity' as const,
    principal: 'arn:aws:iam::123456789012:oidc-provider/idp',
    context,
  });
  it.each([
    [
      'the repository and audience',
      { 'idp:sub': 'repo:org/app:ref:refs/heads/main', 'idp:aud': 'sts.amazonaws.com' },
      true,
    ],
    [
      'another repository',
      { 'idp:sub': 'repo:org/other:ref:refs/heads/main', 'idp:aud': 'sts.amazonaws.com' },
      false,
    ],
    [
      'another audience',
      { 'idp:sub': 'repo:org/app:ref:refs/heads/main', 'idp:aud': 'https://github.com/org' },
      false,
    ],
    ['no sub at all', { 'idp:aud': 'sts.amazonaws.com' }, false],
  ])('web identity with %s: %s', (_label, context, allowed) => {
    expect(trustAllows(policy(), web(context))).toBe(allowed);
  });

  it.each([
    [SANDBOX_USER.arn, 'ext-123', true],
    [SANDBOX_USER.arn, 'wrong', false],
    [SANDBOX_USER.arn, undefined, false],
    ['arn:aws:iam::123456789012:user/other', 'ext-123', false],
  ])('AssumeRole by %s with external id %s: %s', (caller, externalId, allowed) => {
    expect(
      trustAllows(accountTrustPolicy(SANDBOX_USER.arn, 'ext-123'), {
        action: 'sts:AssumeRole',
        principal: caller,
        context: { 'sts:ExternalId': externalId },
      }),
    ).toBe(allowed);
  });
});

describe('STS', () => {
  it('assumes a role with the ID token the runner endpoint issues (unsigned, as the SDK sends it)', async () => {
    const creds = await webIdentity(github.oidc.mint({ audience: 'sts.amazonaws.com' }));
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    // The default lifetime is an hour of sandbox time, i.e. 36 s at this time scale.
    const lifetime = (creds.expiration?.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(30_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 / TIME_SCALE);
    const me = await sts(creds).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:sts::123456789012:assumed-role/deploy/ecs-ship-test');
    const arrived = sandbox.requests.at(-1);
    expect([arrived?.operation, arrived?.accessKeyId, arrived?.principal]).toEqual([
      'GetCallerIdentity',
      creds.accessKeyId,
      me.Arn,
    ]);
  });

  it.each([
    [
      'a wrong audience',
      { audience: 'https://github.com/org' },
      'InvalidIdentityTokenException',
      'Incorrect token audience',
    ],
    [
      'a sub the trust policy does not admit',
      { audience: 'sts.amazonaws.com', claims: { sub: 'repo:org/other:ref:refs/heads/main' } },
      'AccessDenied',
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    ],
    [
      'a forged signature',
      { audience: 'sts.amazonaws.com', untrusted: true },
      'InvalidIdentityTokenException',
      'Token signature could not be verified',
    ],
    [
      'an unknown issuer',
      { audience: 'sts.amazonaws.com', claims: { iss: 'https://elsewhere.example' } },
      'InvalidIdentityTokenException',
      'No OpenIDConnect provider found in your account for https://elsewhere.example',
    ],
  ])('refuses a token with %s', async (_label, mint, name, message) => {
    await expect(webIdentity(github.oidc.mint(mint))).rejects.toMatchObject({ name, message });
  });

  it('refuses an expired token', async () => {
    github.oidc.lifetimeSeconds = 0;
    try {
      await expect(webIdentity(github.oidc.mint({ audience: 'sts.amazonaws.com' }))).rejects.toMatchObject({
        name: 'ExpiredTokenException',
      });
    } finally {
      github.oidc.lifetimeSeconds = 300;
    }
  });

  it('checks DurationSeconds against STS minimum and the role maximum', async () => {
    const token = () => github.oidc.mint({ audience: 'sts.amazonaws.com' });
    await expect(webIdentity(token(), 'deploy', 600)).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(webIdentity(token(), 'deploy', 7200)).rejects.toMatchObject({
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
  });

  it('AssumeRole: the caller and the external id must match the trust policy', async () => {
    const assume = (ExternalId?: string) =>
      sts().send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::123456789012:role/cross-account',
          RoleSessionName: 'cross',
          ...(ExternalId ? { ExternalId } : {}),
        }),
      );
    const { Credentials, AssumedRoleUser } = await assume('ext-123');
    expect(AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/cross-account/cross');
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA/);
    await expect(assume('nope')).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${SANDBOX_USER.arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/cross-account`,
    });
  });
});

describe('every call is signed by keys the sandbox knows', () => {
  const ecs = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new ECSClient({ region: 'us-east-1', endpoint: sandbox.endpoint, credentials, maxAttempts: 1 });

  it('takes SANDBOX_USER and logs its key', async () => {
    await ecs(SANDBOX_USER).send(new ListClustersCommand({}));
    expect(sandbox.requests.at(-1)).toMatchObject({
      accessKeyId: SANDBOX_USER.accessKeyId,
      principal: SANDBOX_USER.arn,
    });
  });

  it.each([
    [
      'an unknown access key',
      { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' },
      'UnrecognizedClientException',
    ],
    [
      'a wrong secret',
      { accessKeyId: SANDBOX_USER.accessKeyId, secretAccessKey: 'wrong' },
      'InvalidSignatureException',
    ],
  ])('refuses %s (ECS and ECR)', async (_label, credentials, name) => {
    await expect(ecs(credentials).send(new ListClustersCommand({}))).rejects.toMatchObject({ name });
    const ecr = new ECRClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials,
      maxAttempts: 1,
    });
    await expect(ecr.send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({ name });
    expect(sandbox.requests.at(-1)?.fault).toBe(name);
  });

  it('refuses an STS call with a bad secret as STS does', async () => {
    await expect(
      sts({ accessKeyId: SANDBOX_USER.accessKeyId, secretAccessKey: 'wrong' }).send(
        new GetCallerIdentityCommand({}),
      ),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(
      sts({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it("an assumed role's keys: refused with a wrong token, denied what the role lacks, expired after their lifetime", async () => {
    sandbox.iam.sessionLifetime = 100; // sandbox seconds: 1 s here
    try {
      const creds = await webIdentity(github.oidc.mint({ audience: 'sts.amazonaws.com' }));
      await expect(
        ecs({ ...creds, sessionToken: 'not-the-token' }).send(new ListClustersCommand({})),
      ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
      await expect(ecs(creds).send(new ListClustersCommand({}))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(
          'assumed-role/deploy/ecs-ship-test is not authorized to perform: ecs:ListClusters',
        ),
      });
      await ecs(creds).send(new DescribeServicesCommand({ services: ['none'] }));
      // Waits on the session's own clock, not a sleep: ask until the sandbox calls the keys expired.
      const expired = await eventually(async () => {
        const err = await ecs(creds)
          .send(new DescribeServicesCommand({ services: ['none'] }))
          .then(() => undefined)
          .catch((e: unknown) => e);
        return err;
      });
      expect(expired).toMatchObject({ name: 'ExpiredTokenException' });
      expect(Date.now()).toBeGreaterThanOrEqual(creds.expiration?.getTime() ?? Infinity);
    } finally {
      sandbox.iam.sessionLifetime = undefined;
    }
  });
});
