import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { SERVICE_DEPLOYMENT_API } from '../../sandbox/outages.js';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { eventually, sandboxClientConfig } from './helpers.js';

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let ecs: ECSClient;

beforeAll(async () => {
  registry = await startRegistry();
  sandbox = await startAwsSandbox({ registry, timeScale: 20 });
  ecs = new ECSClient({
    ...sandboxClientConfig(sandbox.endpoint),
    // Each fault must reach the test, not be hidden by the SDK's own retries.
    maxAttempts: 1,
  });
});

afterAll(async () => {
  ecs?.destroy();
  await closeAndCheck(sandbox);
  await registry?.stop();
});

describe('faults a test can ask for', () => {
  it('answers about the configured share of ECS calls with ThrottlingException or a 503, and logs them', async () => {
    sandbox.faults = { rate: 0.2 };
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        outcomes.push(
          await ecs.send(new ListClustersCommand({})).then(
            () => 'ok',
            (err: { name: string; $metadata: { httpStatusCode: number } }) =>
              `${err.name} ${err.$metadata.httpStatusCode}`,
          ),
        );
      }
    } finally {
      sandbox.faults = undefined;
    }
    const failed = outcomes.filter((o) => o !== 'ok');
    expect(failed.length).toBeGreaterThan(20);
    expect(failed.length).toBeLessThan(60);
    expect(new Set(failed)).toEqual(new Set(['ThrottlingException 400', 'ServiceUnavailableException 503']));
    const logged = sandbox.requests.filter((r) => r.operation === 'ListClusters' && r.fault);
    expect(logged).toHaveLength(failed.length);
  });

  it('denies one operation for everyone with an IAM-style message naming the action', async () => {
    sandbox.denied.add('ListTasks');
    try {
      await expect(ecs.send(new ListTasksCommand({}))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining('is not authorized to perform: ecs:ListTasks'),
      });
      await expect(ecs.send(new ListClustersCommand({}))).resolves.toBeDefined();
    } finally {
      sandbox.denied.clear();
    }
  });
});

/** What the SDK made of a call: `ok`, or the error's name, HTTP status and the start of its message. */
const outcome = (send: Promise<unknown>): Promise<string> =>
  send.then(
    () => 'ok',
    (err: { name: string; message: string; code?: string; $metadata?: { httpStatusCode?: number } }) =>
      `${err.name} ${err.$metadata?.httpStatusCode ?? err.code ?? '-'}`,
  );

describe('an endpoint that lacks operations (sandbox.missing)', () => {
  it.each([
    ['unknown-operation', 'UnknownOperationException 400'],
    ['not-implemented', 'InternalFailure 501'],
    // The SDK cannot read moto's HTML page: a SyntaxError carrying the status.
    ['html-500', 'SyntaxError 500'],
  ] as const)('%s: the service-deployment API answers %s, everything else as before', async (how, answer) => {
    for (const op of SERVICE_DEPLOYMENT_API) sandbox.missing.set(op, how);
    try {
      const calls = [
        ecs.send(new ListServiceDeploymentsCommand({ service: 'any' })),
        ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: ['arn:x'] })),
        ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: ['arn:x'] })),
        ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: 'arn:x', stopType: 'ROLLBACK' })),
      ];
      expect(await Promise.all(calls.map(outcome))).toEqual([answer, answer, answer, answer]);
      expect(await outcome(ecs.send(new ListClustersCommand({})))).toBe('ok');
      const logged = sandbox.requests.filter((r) => SERVICE_DEPLOYMENT_API.includes(r.operation)).slice(-4);
      expect(logged.map((r) => r.fault === undefined)).toEqual([false, false, false, false]);
    } finally {
      sandbox.missing.clear();
    }
  });
});

describe('an API that does not answer for a while (sandbox.outage)', () => {
  it('begins once the named operation was answered, and ends after its seconds', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'outage' }));
    sandbox.outage = { answer: '503', after: 'CreateCluster', seconds: 0.5 };
    try {
      expect(await outcome(ecs.send(new ListClustersCommand({})))).toBe('ok');
      await ecs.send(new CreateClusterCommand({ clusterName: 'outage' }));
      const during = await outcome(ecs.send(new ListClustersCommand({})));
      expect(during).toBe('SyntaxError 503');
      expect(sandbox.requests.at(-1)).toMatchObject({ operation: 'ListClusters', fault: 'HTTP 503' });
      await new Promise((r) => setTimeout(r, 600));
      expect(await outcome(ecs.send(new ListClustersCommand({})))).toBe('ok');
    } finally {
      sandbox.outage = undefined;
    }
  });

  it('hang-up: the connection closes without an answer, ECS only by default', async () => {
    sandbox.outage = { answer: 'hang-up' };
    try {
      const cut = await ecs.send(new ListClustersCommand({})).then(
        () => 'ok',
        (err: Error) => err.message,
      );
      expect(cut).toMatch(/socket hang up/);
      expect(sandbox.requests.at(-1)?.fault).toBe('hang-up');
    } finally {
      sandbox.outage = undefined;
    }
    expect(await outcome(ecs.send(new ListClustersCommand({})))).toBe('ok');
  });
});

describe('StopServiceDeployment over the API', () => {
  it('rolls a crash-looping deployment back to the revision that ran before', async () => {
    const register = async (command: string[] | undefined) =>
      (
        await ecs.send(
          new RegisterTaskDefinitionCommand({
            family: 'api',
            containerDefinitions: [
              { name: 'api', image: 'public.ecr.aws/nginx/nginx:stable', ...(command ? { command } : {}) },
            ],
          }),
        )
      ).taskDefinition?.taskDefinitionArn ?? '';
    const good = await register(undefined);
    await ecs.send(new CreateServiceCommand({ serviceName: 'api', taskDefinition: good, desiredCount: 1 }));
    const describe1 = async () =>
      (await ecs.send(new DescribeServicesCommand({ services: ['api'] }))).services?.[0];
    await eventually(async () =>
      (await describe1())?.deployments?.[0]?.rolloutState === 'COMPLETED' ? true : undefined,
    );
    const bad = await register(['sh', '-c', 'exit 2']);
    await ecs.send(new UpdateServiceCommand({ service: 'api', taskDefinition: bad }));
    const sdArn = (await describe1())?.currentServiceDeployment ?? '';

    const out = await ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: sdArn, stopType: 'ROLLBACK' }),
    );
    expect(out.serviceDeploymentArn).toBe(sdArn);
    const sd = await eventually(async () => {
      const { serviceDeployments = [] } = await ecs.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sdArn] }),
      );
      return serviceDeployments[0]?.status === 'ROLLBACK_SUCCESSFUL' ? serviceDeployments[0] : undefined;
    });
    expect(sd.rollback?.reason).toMatch(/StopServiceDeployment/);
    expect((await describe1())?.deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([
      ['PRIMARY', good],
    ]);
    await expect(
      ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sdArn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });
});
