import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRegistriesCommand,
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
  GetAuthorizationTokenCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr-public';
import { mockClient } from 'aws-sdk-client-mock';
import type { NewRepositorySettings } from '../../../../src/inputs/registry.js';

const secrets: string[] = [];
jest.unstable_mockModule('../../../../src/report/log.js', () => ({
  mask: (s: string) => secrets.push(s),
}));

const { aliasOf, ensurePublicRepository, getPublicLogin, planPublicRepository } =
  await import('../../../../src/image/ecr/public.js');
const { createEcrPublicClient } = await import('../../../../src/aws/clients.js');

const mock = mockClient(ECRPUBLICClient);
const client = new ECRPUBLICClient({ region: 'us-east-1' });
const create: NewRepositorySettings = {
  imageTagMutability: 'MUTABLE',
  scanOnPush: false,
  encryptionType: 'AES256',
  kmsKey: undefined,
};
const notFound = () => new RepositoryNotFoundException({ message: 'not found', $metadata: {} });
const registries = (...names: string[]) => ({
  registries: [
    {
      registryId: '123456789012',
      registryArn: 'arn:aws:ecr-public::123456789012:registry/123456789012',
      registryUri: 'public.ecr.aws/x',
      verified: false,
      aliases: names.map((name) => ({
        name,
        status: 'ACTIVE' as const,
        primaryRegistryAlias: true,
        defaultRegistryAlias: true,
      })),
    },
  ],
});

beforeEach(() => {
  mock.reset();
  secrets.length = 0;
});

describe('aliasOf', () => {
  it.each([
    ['public.ecr.aws/my-alias/app', 'app', 'my-alias'],
    ['public.ecr.aws/my-alias/team/app', 'team/app', 'my-alias'],
    ['127.0.0.1:5000/ecs-ship-sandbox/app', 'app', 'ecs-ship-sandbox'],
    ['public.ecr.aws/app', 'app', undefined],
    ['public.ecr.aws/my-alias/other', 'app', undefined],
  ])('%s (%s) -> %s', (uri, name, alias) => {
    expect(aliasOf(uri, name)).toBe(alias);
  });
});

describe('the ECR Public client', () => {
  it('works in us-east-1 whatever region the step deploys to', async () => {
    const made = await createEcrPublicClient();
    expect(await made.config.region()).toBe('us-east-1');
  });
});

describe('planPublicRepository', () => {
  it('an existing repository: its URI (host and alias) is where the push goes', async () => {
    mock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'app', repositoryUri: 'public.ecr.aws/my-alias/app' }],
    });
    expect(await planPublicRepository(client, 'app', 'my-alias', undefined)).toEqual({
      name: 'app',
      registryId: undefined,
      uri: 'public.ecr.aws/my-alias/app',
      create: undefined,
      immutable: false,
    });
    expect(mock.commandCalls(DescribeRegistriesCommand)).toHaveLength(0);
  });

  it('an alias that is not the repository registry`s is refused, naming the right one', async () => {
    mock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'app', repositoryUri: 'public.ecr.aws/real-alias/app' }],
    });
    await expect(planPublicRepository(client, 'app', 'typo', undefined)).rejects.toThrow(
      "Input 'registry' is 'public.ecr.aws/typo', but this account's ECR Public registry is public.ecr.aws/real-alias: use that (or just public.ecr.aws).",
    );
  });

  it.each([
    [
      undefined,
      "Repository 'app' does not exist in this account's ECR Public registry; create it or set create-repository: true.",
    ],
    [
      'my-alias',
      "Repository 'app' does not exist in this account's ECR Public registry (public.ecr.aws/my-alias); create it or set create-repository: true.",
    ],
  ])('missing without create-repository (alias %s): one line the user can act on', async (alias, line) => {
    mock.on(DescribeRepositoriesCommand).rejects(notFound());
    await expect(planPublicRepository(client, 'app', alias, undefined)).rejects.toThrow(line);
  });

  it('missing with create-repository: to be created, after checking the alias names this registry', async () => {
    mock.on(DescribeRepositoriesCommand).rejects(notFound());
    mock.on(DescribeRegistriesCommand).resolves(registries('my-alias'));
    const plan = await planPublicRepository(client, 'app', 'my-alias', create);
    expect(plan).toMatchObject({ uri: undefined, create });
    mock.on(DescribeRegistriesCommand).resolves(registries('another'));
    await expect(planPublicRepository(client, 'app', 'my-alias', create)).rejects.toThrow(
      "Input 'registry' is 'public.ecr.aws/my-alias', but this account's ECR Public registry is public.ecr.aws/another",
    );
  });

  it('other errors (AccessDenied) pass through unchanged', async () => {
    const denied = Object.assign(new Error('not authorized to perform: ecr-public:DescribeRepositories'), {
      name: 'AccessDeniedException',
    });
    mock.on(DescribeRepositoriesCommand).rejects(denied);
    await expect(planPublicRepository(client, 'app', undefined, create)).rejects.toThrow(
      'not authorized to perform: ecr-public:DescribeRepositories',
    );
  });
});

describe('ensurePublicRepository', () => {
  const plan = () => ({ name: 'app', registryId: undefined, uri: undefined, create, immutable: false });

  it('creates it with only the name (ECR Public has no mutability, scanning or encryption settings)', async () => {
    mock.on(CreateRepositoryCommand).resolves({
      repository: { repositoryName: 'app', repositoryUri: 'public.ecr.aws/my-alias/app' },
    });
    const lines: string[] = [];
    const p = plan();
    expect(await ensurePublicRepository(client, p, (l) => lines.push(l))).toBe('public.ecr.aws/my-alias/app');
    expect(mock.commandCalls(CreateRepositoryCommand).map((c) => c.args[0].input)).toEqual([
      { repositoryName: 'app' },
    ]);
    expect(p.uri).toBe('public.ecr.aws/my-alias/app');
    expect(lines).toEqual(['Created public repository app (public.ecr.aws/my-alias/app)']);
  });

  it('created meanwhile by another run: uses it', async () => {
    mock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }));
    mock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'app', repositoryUri: 'public.ecr.aws/my-alias/app' }],
    });
    expect(await ensurePublicRepository(client, plan(), () => undefined)).toBe('public.ecr.aws/my-alias/app');
  });

  it('an existing repository is not created again', async () => {
    const existing = { ...plan(), uri: 'public.ecr.aws/a/app', create: undefined };
    expect(await ensurePublicRepository(client, existing, () => undefined)).toBe('public.ecr.aws/a/app');
    expect(mock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });
});

describe('getPublicLogin', () => {
  const PASSWORD = 'eyJwYXlsb2FkIjoicHVibGljIn0.c2VjcmV0';
  const token = Buffer.from(`AWS:${PASSWORD}`).toString('base64');

  it('decodes AWS:<password>, masks token and password, and names public.ecr.aws', async () => {
    const expiresAt = new Date('2026-11-22T15:00:00Z');
    mock
      .on(GetAuthorizationTokenCommand)
      .resolves({ authorizationData: { authorizationToken: token, expiresAt } });
    expect(await getPublicLogin(client)).toEqual({
      registry: 'public.ecr.aws',
      username: 'AWS',
      password: PASSWORD,
      expiresAt,
    });
    expect(secrets).toEqual([token, PASSWORD]);
  });

  it.each([
    [{}, 'ECR Public GetAuthorizationToken returned no authorization data.'],
    [
      { authorizationData: { authorizationToken: Buffer.from('no-colon').toString('base64') } },
      'ECR Public GetAuthorizationToken returned a token that is not "user:password" in base64.',
    ],
  ])('a malformed answer is an error that prints no token (%j)', async (answer, message) => {
    mock.on(GetAuthorizationTokenCommand).resolves(answer);
    await expect(getPublicLogin(client)).rejects.toThrow(message);
  });
});
