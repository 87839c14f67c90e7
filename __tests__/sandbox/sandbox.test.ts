import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
} from '@aws-sdk/client-ecs';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { AwsError } from '../../sandbox/http.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { eventually, pushTinyImage, sandboxClientConfig, signedFetch, TEST_ACCESS_KEY } from './helpers.js';

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let ecs: ECSClient;
let ecr: ECRClient;

beforeAll(async () => {
  registry = await startRegistry();
  sandbox = await startAwsSandbox({ registry, timeScale: 20 });
  const config = sandboxClientConfig(sandbox.endpoint);
  ecs = new ECSClient(config);
  ecr = new ECRClient(config);
});

afterAll(async () => {
  ecs?.destroy();
  ecr?.destroy();
  await closeAndCheck(sandbox);
  await registry?.stop();
});

async function register(family: string, image: string): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [{ name: family, image, essential: true }],
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

async function describe1(service: string) {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: 'default', services: [service] }));
  return out.services?.[0];
}

async function seedSteady(
  service: string,
  desiredCount: number,
  deploymentConfiguration: DeploymentConfiguration = {},
) {
  const taskDefinition = await register(service, 'public.ecr.aws/nginx/nginx:stable');
  await ecs.send(
    new CreateServiceCommand({ serviceName: service, taskDefinition, desiredCount, deploymentConfiguration }),
  );
  await eventually(async () => {
    const d = (await describe1(service))?.deployments ?? [];
    return d.length === 1 && d[0]?.rolloutState === 'COMPLETED' ? true : undefined;
  });
  return taskDefinition;
}

describe('a healthy rolling update to an image the registry holds', () => {
  let oldTd: string;
  let newTd: string;
  let digest: string;

  beforeAll(async () => {
    oldTd = await seedSteady('web', 2);
    digest = await pushTinyImage(registry, 'web', 'v2');
    newTd = await register('web', `${registry.host}/web:v2`);
    await ecs.send(new UpdateServiceCommand({ service: 'web', taskDefinition: newTd }));
    await eventually(async () => ((await describe1('web'))?.deployments?.length === 1 ? true : undefined));
  });

  it('ends with one COMPLETED PRIMARY deployment of the new revision running every task', async () => {
    const service = await describe1('web');
    expect(
      service?.deployments?.map((d) => [d.status, d.rolloutState, d.taskDefinition, d.runningCount]),
    ).toEqual([['PRIMARY', 'COMPLETED', newTd, 2]]);
    expect([service?.taskDefinition, service?.runningCount, service?.pendingCount]).toEqual([newTd, 2, 0]);
    expect(service?.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/);
  });

  it('tells the story in ECS wording, newest first', async () => {
    const service = await describe1('web');
    const id = service?.deployments?.[0]?.id;
    const messages = service?.events?.map((e) => e.message) ?? [];
    expect(messages.slice(0, 2)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${id}) deployment completed.`,
    ]);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service web\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
      ),
    );
    expect(messages.filter((m) => /has started 2 tasks/.test(m ?? ''))).toHaveLength(2);
    expect(service?.events?.[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('runs the pushed image, resolved to its digest, and stops the old tasks', async () => {
    const running = await ecs.send(new ListTasksCommand({ serviceName: 'web' }));
    const stopped = await ecs.send(new ListTasksCommand({ serviceName: 'web', desiredStatus: 'STOPPED' }));
    const { tasks = [] } = await ecs.send(
      new DescribeTasksCommand({ tasks: [...(running.taskArns ?? []), ...(stopped.taskArns ?? [])] }),
    );
    const now = tasks.filter((t) => t.lastStatus === 'RUNNING');
    expect(now.map((t) => [t.taskDefinitionArn, t.containers?.[0]?.imageDigest, t.group])).toEqual(
      Array(2).fill([newTd, digest, 'service:web']),
    );
    const old = tasks.filter((t) => t.taskDefinitionArn === oldTd);
    expect(old.map((t) => [t.lastStatus, t.stopCode])).toEqual(
      Array(2).fill(['STOPPED', 'ServiceSchedulerInitiated']),
    );
    expect(old[0]?.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);
    expect(old[0]?.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/default\/[0-9a-f]{32}$/);
  });

  it('records a SUCCESSFUL service deployment whose target revision is the new task definition', async () => {
    const { serviceDeployments: briefs = [] } = await ecs.send(
      new ListServiceDeploymentsCommand({ service: 'web' }),
    );
    expect(briefs.map((b) => b.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    const { serviceDeployments = [] } = await ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [briefs[0]?.serviceDeploymentArn ?? ''],
      }),
    );
    const sd = serviceDeployments[0];
    expect(sd?.serviceDeploymentArn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/default\/web\//,
    );
    expect(sd?.finishedAt).toBeInstanceOf(Date);
    expect(sd?.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2 });
    expect(sd?.sourceServiceRevisions).toHaveLength(1);
    const { serviceRevisions = [] } = await ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd?.targetServiceRevision?.arn ?? ''] }),
    );
    expect(serviceRevisions.map((r) => r.taskDefinition)).toEqual([newTd]);
  });
});

describe('a rollout whose image the registry lacks', () => {
  const breaker = { deploymentCircuitBreaker: { enable: true, rollback: false } };

  it('stops tasks with CannotPullContainerError and the circuit breaker fails the deployment', async () => {
    await seedSteady('api', 1, breaker);
    const image = `${registry.host}/never-pushed:v1`;
    const badTd = await register('api', image);
    const before = new Date();
    await ecs.send(new UpdateServiceCommand({ service: 'api', taskDefinition: badTd }));
    const primary = await eventually(async () => {
      const d = (await describe1('api'))?.deployments?.[0];
      return d?.rolloutState === 'FAILED' ? d : undefined;
    });
    expect(primary.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(primary.failedTasks).toBeGreaterThanOrEqual(3);

    const stopped = await ecs.send(new ListTasksCommand({ serviceName: 'api', desiredStatus: 'STOPPED' }));
    const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ tasks: stopped.taskArns ?? [] }));
    const reason = `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: not found`;
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    for (const t of tasks) {
      expect([
        t.taskDefinitionArn,
        t.lastStatus,
        t.stopCode,
        t.stoppedReason,
        t.containers?.[0]?.reason,
      ]).toEqual([badTd, 'STOPPED', 'TaskFailedToStart', reason, reason]);
    }

    const { serviceDeployments: briefs = [] } = await ecs.send(
      new ListServiceDeploymentsCommand({ service: 'api', createdAt: { after: before } }),
    );
    expect(briefs.map((b) => [b.status, b.statusReason])).toEqual([
      ['STOPPED', 'ECS deployment circuit breaker: tasks failed to start.'],
    ]);
    const { serviceDeployments = [] } = await ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [briefs[0]?.serviceDeploymentArn ?? ''],
      }),
    );
    expect(serviceDeployments[0]?.deploymentCircuitBreaker).toEqual({
      status: 'TRIGGERED',
      failureCount: primary.failedTasks,
      threshold: 3,
    });
    // The old task kept serving throughout.
    expect((await describe1('api'))?.runningCount).toBe(1);
  });
});

describe('errors the SDK parses into named exceptions', () => {
  it.each([
    [
      'an unknown task definition',
      () => new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:9' }),
      'ClientException',
    ],
    [
      'UpdateService on a missing service',
      () => new UpdateServiceCommand({ service: 'ghost' }),
      'ServiceNotFoundException',
    ],
    [
      'an unknown cluster',
      () => new DescribeServicesCommand({ cluster: 'nope', services: ['web'] }),
      'ClusterNotFoundException',
    ],
    [
      'a Fargate task definition without cpu',
      () =>
        new RegisterTaskDefinitionCommand({
          family: 'f',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          memory: '512',
          containerDefinitions: [{ name: 'a', image: 'b' }],
        }),
      'ClientException',
    ],
    [
      'duplicate container names',
      () =>
        new RegisterTaskDefinitionCommand({
          family: 'f',
          containerDefinitions: [
            { name: 'a', image: 'b' },
            { name: 'a', image: 'c' },
          ],
        }),
      'ClientException',
    ],
  ])('%s', async (_label, command, name) => {
    const err = await ecs.send(command() as never).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
    );
    expect([err?.name, err?.$metadata?.httpStatusCode]).toEqual([name, 400]);
    expect(err?.message).not.toBe('');
  });

  it('lists missing services as failures, as ECS does', async () => {
    const out = await ecs.send(new DescribeServicesCommand({ services: ['ghost'] }));
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/default/ghost', reason: 'MISSING' },
    ]);
  });

  it.each([
    [
      'malformed JSON',
      'AmazonEC2ContainerServiceV20141113.ListClusters',
      '{not json',
      'SerializationException',
    ],
    [
      'an unknown target',
      'AmazonEC2ContainerServiceV20141113.LaunchRockets',
      '{}',
      'UnknownOperationException',
    ],
  ])('%s gives a 400 with its error code', async (_label, target, body, code) => {
    const res = await signedFetch(sandbox.endpoint, target, body);
    expect([
      res.status,
      res.headers.get('x-amzn-errortype'),
      ((await res.json()) as { __type: string }).__type,
    ]).toEqual([400, code, code]);
  });

  it('lets a test deny one access key', async () => {
    sandbox.intercept = (ctx) =>
      ctx.accessKeyId === TEST_ACCESS_KEY
        ? new AwsError('AccessDeniedException', 'User is not authorized')
        : undefined;
    try {
      await expect(ecs.send(new DescribeServicesCommand({ services: ['web'] }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    } finally {
      sandbox.intercept = undefined;
    }
  });
});

describe('request log', () => {
  it('marks writes and only writes', async () => {
    const from = sandbox.requests.length;
    await register('logged', 'nginx:1');
    await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'logged' }));
    await ecs.send(new ListTasksCommand({}));
    await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(sandbox.requests.slice(from).map((r) => [r.service, r.operation, r.write])).toEqual([
      ['ecs', 'RegisterTaskDefinition', true],
      ['ecs', 'DescribeTaskDefinition', false],
      ['ecs', 'ListTasks', false],
      ['ecr', 'GetAuthorizationToken', false],
    ]);
    expect(sandbox.writes().at(-1)?.operation).toBe('RegisterTaskDefinition');
  });
});

describe('ECR', () => {
  it('hands out a token that logs into the registry for 12 hours', async () => {
    const { authorizationData = [] } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const data = authorizationData[0];
    expect(data?.proxyEndpoint).toBe(registry.url);
    const hours = ((data?.expiresAt?.getTime() ?? 0) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(11.9);
    // The token is what the registry's basic auth wants (asked on its plain listener: see helpers.ts).
    const res = await fetch(`${registry.plainUrl}/v2/`, {
      headers: { authorization: `Basic ${data?.authorizationToken}` },
    });
    expect(res.status).toBe(200);
    const wrong = await fetch(`${registry.plainUrl}/v2/`, {
      headers: { authorization: `Basic ${Buffer.from('AWS:wrong').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('retags with BatchGetImage + PutImage, and says when the tag is already there', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'promote' }));
    const digest = await pushTinyImage(registry, 'promote', 'staging');
    const { images = [] } = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'promote', imageIds: [{ imageTag: 'staging' }] }),
    );
    expect(images[0]?.imageId?.imageDigest).toBe(digest);
    const put = () =>
      ecr.send(
        new PutImageCommand({
          repositoryName: 'promote',
          imageTag: 'production',
          imageManifest: images[0]?.imageManifest ?? '',
          imageManifestMediaType: images[0]?.imageManifestMediaType ?? '',
        }),
      );
    expect((await put()).image?.imageId?.imageDigest).toBe(digest);
    await expect(put()).rejects.toMatchObject({ name: 'ImageAlreadyExistsException' });
  });
});
