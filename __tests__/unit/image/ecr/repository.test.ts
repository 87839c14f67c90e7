import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createRepositoryRequest,
  ensureRepository,
  planRepository,
} from '../../../../src/image/ecr/repository.js';
import type { NewRepositorySettings, RegistryInputs } from '../../../../src/inputs/registry.js';

const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
const own = { kind: 'private', registryId: undefined, region: undefined } as const;
const settings: NewRepositorySettings = {
  imageTagMutability: 'IMMUTABLE',
  scanOnPush: true,
  encryptionType: 'KMS',
  kmsKey: 'alias/ecr',
};
const inputs = (over: Partial<RegistryInputs> = {}): RegistryInputs => ({
  target: own,
  create: undefined,
  scanGate: undefined,
  ...over,
});
const notFound = () => new RepositoryNotFoundException({ message: 'not found', $metadata: {} });

beforeEach(() => {
  ecrMock.reset();
});

describe('createRepositoryRequest', () => {
  it.each([
    [
      undefined,
      { imageTagMutability: 'MUTABLE', scanOnPush: false, encryptionType: 'AES256', kmsKey: undefined },
      {
        repositoryName: 'app',
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: false },
        encryptionConfiguration: { encryptionType: 'AES256' },
      },
    ],
    [
      '210987654321',
      settings,
      {
        repositoryName: 'app',
        registryId: '210987654321',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/ecr' },
      },
    ],
  ] as const)('registry %s', (registryId, given, expected) => {
    expect(createRepositoryRequest('app', registryId, given)).toEqual(expected);
  });
});

describe('planRepository', () => {
  it('finds the repository and its URI, in another account when asked', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        {
          repositoryName: 'app',
          repositoryUri: '210987654321.dkr.ecr.eu-west-1.amazonaws.com/app',
          imageTagMutability: 'IMMUTABLE',
        },
      ],
    });
    const plan = await planRepository(
      ecr,
      'app',
      inputs({ target: { kind: 'private', registryId: '210987654321', region: undefined } }),
    );
    expect(plan).toEqual({
      name: 'app',
      registryId: '210987654321',
      uri: '210987654321.dkr.ecr.eu-west-1.amazonaws.com/app',
      create: undefined,
      immutable: true,
    });
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)[0]?.args[0].input).toEqual({
      repositoryNames: ['app'],
      registryId: '210987654321',
    });
  });

  it('a missing repository fails with a line that says what to do', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    await expect(planRepository(ecr, 'app', inputs())).rejects.toThrow(
      "Repository 'app' does not exist in this account's registry; create it or set create-repository: true.",
    );
    await expect(
      planRepository(
        ecr,
        'app',
        inputs({ target: { kind: 'private', registryId: '210987654321', region: undefined } }),
      ),
    ).rejects.toThrow("Repository 'app' does not exist in registry 210987654321; create it");
  });

  it('a missing repository with create-repository is planned for creation, nothing written yet', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    const plan = await planRepository(ecr, 'app', inputs({ create: settings }));
    expect(plan).toMatchObject({ uri: undefined, create: settings, immutable: true });
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it('a registry in another region is refused before any call', async () => {
    await expect(
      planRepository(
        ecr,
        'app',
        inputs({ target: { kind: 'private', registryId: '210987654321', region: 'us-east-1' } }),
      ),
    ).rejects.toThrow("Input 'registry' names a registry in us-east-1, but the step works in eu-west-1");
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('other errors (e.g. AccessDenied) pass through', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(planRepository(ecr, 'app', inputs({ create: settings }))).rejects.toThrow('denied');
  });
});

describe('ensureRepository', () => {
  const lines: string[] = [];
  it('creates with the settings and returns the URI', async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: { repositoryUri: 'h/app' } });
    const plan = { name: 'app', registryId: undefined, uri: undefined, create: settings, immutable: true };
    expect(await ensureRepository(ecr, plan, (l) => lines.push(l))).toBe('h/app');
    expect(ecrMock.commandCalls(CreateRepositoryCommand)[0]?.args[0].input).toEqual(
      createRepositoryRequest('app', undefined, settings),
    );
    expect(lines).toEqual([
      "Created repository app in this account's registry (IMMUTABLE, scan on push on, KMS)",
    ]);
  });

  it('another run creating it first is fine', async () => {
    ecrMock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }))
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ repositoryUri: 'h/app' }] });
    const plan = { name: 'app', registryId: undefined, uri: undefined, create: settings, immutable: true };
    expect(await ensureRepository(ecr, plan, () => undefined)).toBe('h/app');
  });

  it('an existing repository makes no call', async () => {
    const plan = { name: 'app', registryId: undefined, uri: 'h/app', create: undefined, immutable: false };
    expect(await ensureRepository(ecr, plan, () => undefined)).toBe('h/app');
    expect(ecrMock.calls()).toHaveLength(0);
  });
});
