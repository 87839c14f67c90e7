import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
  GetAuthorizationTokenCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr-public';
import { mockClient } from 'aws-sdk-client-mock';
import type { ImageInputs } from '../../../../src/inputs/image.js';
import { readRegistryInputs, type RegistryInputs } from '../../../../src/inputs/registry.js';

jest.unstable_mockModule('../../../../src/report/log.js', () => ({
  mask: () => undefined,
}));

const { planEcr, publishInEcr, pushRepository, pushTarget, registryLogin } =
  await import('../../../../src/image/ecr/plan.js');

// The private ECR client must see no call at all when the target is ECR Public.
const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'eu-west-1' });
const publicMock = mockClient(ECRPUBLICClient);
const client = new ECRPUBLICClient({ region: 'us-east-1' });
const image: ImageInputs = {
  image: 'app:1',
  repository: 'app',
  tags: ['v1'],
  source: { kind: 'docker', image: 'app:1' },
};
const registry = (values: Record<string, string>): RegistryInputs =>
  readRegistryInputs((name) => values[name] ?? '');
const URI = 'public.ecr.aws/my-alias/app';

beforeEach(() => {
  ecrMock.reset();
  publicMock.reset();
});

describe('planEcr and publishing with registry: public.ecr.aws', () => {
  it('an existing public repository: the push goes to <host>/<alias>/<name> with the ECR Public login', async () => {
    publicMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: URI }] });
    publicMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: { authorizationToken: Buffer.from('AWS:pw').toString('base64') },
    });
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const plan = await planEcr(ecr, image, registry({ registry: 'public.ecr.aws' }), log, async () => client);
    expect(plan.promotion).toBeUndefined();
    expect(await publishInEcr(ecr, plan, image.tags, log)).toBeUndefined();
    const login = pushTarget(await registryLogin(ecr, plan), plan);
    expect({ host: login.registry, user: login.username, repository: pushRepository(plan, 'app') }).toEqual({
      host: 'public.ecr.aws',
      user: 'AWS',
      repository: 'my-alias/app',
    });
    expect(ecrMock.calls()).toHaveLength(0);
    expect(publicMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it('a missing one with create-repository is created at publish time, not in the plan', async () => {
    publicMock
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'missing', $metadata: {} }));
    publicMock.on(CreateRepositoryCommand).resolves({ repository: { repositoryUri: URI } });
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const inputs = registry({ registry: 'public.ecr.aws', 'create-repository': 'true' });
    const plan = await planEcr(ecr, image, inputs, log, async () => client);
    expect(publicMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(pushRepository(plan, 'app')).toBe('app');
    await publishInEcr(ecr, plan, image.tags, log);
    expect(pushRepository(plan, 'app')).toBe('my-alias/app');
    expect(lines).toEqual([
      'Public repository app does not exist yet: it will be created',
      `Created public repository app (${URI})`,
    ]);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it('a private target never creates the ECR Public client', async () => {
    const { DescribeRepositoriesCommand: PrivateDescribe } = await import('@aws-sdk/client-ecr');
    ecrMock.on(PrivateDescribe).resolves({
      repositories: [{ repositoryUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app' }],
    });
    const factory = jest.fn(async () => client);
    const plan = await planEcr(ecr, image, registry({}), () => undefined, factory);
    expect(factory).not.toHaveBeenCalled();
    expect(plan.ecrPublic).toBeUndefined();
    expect(pushRepository(plan, 'app')).toBe('app');
  });
});

describe('registry inputs with ECR Public', () => {
  it.each([
    ['image-tag-mutability', 'IMMUTABLE'],
    ['scan-on-push', 'true'],
    ['encryption-type', 'KMS'],
    ['kms-key', 'alias/x'],
    ['fail-on-severity', 'HIGH'],
    ['scan-timeout-seconds', '60'],
    ['scan-unavailable', 'warn'],
  ])('%s is refused, not silently ignored', (name, value) => {
    expect(() =>
      registry({ registry: 'public.ecr.aws/my-alias', 'create-repository': 'true', [name]: value }),
    ).toThrow(`Input '${name}' is set, but it only applies with a private ECR registry, not ECR Public.`);
  });

  it('create-repository alone is fine', () => {
    expect(registry({ registry: 'public.ecr.aws/my-alias', 'create-repository': 'true' })).toMatchObject({
      target: { kind: 'public', alias: 'my-alias' },
      scanGate: undefined,
    });
  });
});
