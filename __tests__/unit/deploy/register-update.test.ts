import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  ECSClient,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../../src/errors.js';
import { registerTaskDefinition } from '../../../src/taskdef/register.js';
import { updateService } from '../../../src/deploy/update.js';
import { dep, TD } from './fixtures.js';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });

beforeEach(() => {
  ecsMock.reset();
});

describe('registerTaskDefinition', () => {
  const input = { family: 'web', containerDefinitions: [{ name: 'app', image: 'repo@sha256:abc' }] };

  it('returns the ARN, family and revision ECS assigned', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: TD(7), family: 'web', revision: 7 } });
    await expect(registerTaskDefinition(ecs, input)).resolves.toEqual({
      arn: TD(7),
      family: 'web',
      revision: 7,
    });
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input).toEqual(input);
  });

  it.each([
    [
      'a rejected task definition',
      new ClientException({ message: 'Invalid setting for container app:\n memory', $metadata: {} }),
      "ECS rejected task definition 'web': ClientException: Invalid setting for container app: memory",
    ],
    [
      'AccessDenied',
      new AccessDeniedException({ message: 'not authorized to perform iam:PassRole', $metadata: {} }),
      "Access denied registering task definition 'web': allow ecs:RegisterTaskDefinition (and iam:PassRole on its task and execution roles) (not authorized to perform iam:PassRole)",
    ],
  ])('turns %s into one UserError line', async (_n, err, message) => {
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(err);
    const thrown = await registerTaskDefinition(ecs, input).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toBe(message);
  });

  it('lets a transient error through for the caller to retry', async () => {
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(throttled());
    const thrown = await registerTaskDefinition(ecs, input).catch((e: unknown) => e);
    expect(thrown).not.toBeInstanceOf(UserError);
    expect((thrown as Error).name).toBe('ThrottlingException');
  });
});

describe('updateService', () => {
  const args = { cluster: 'prod', service: 'web', taskDefinitionArn: TD(7) };

  it('returns the target with the PRIMARY deployment of our task definition and a start time taken before the call', async () => {
    let sentAt = 0;
    ecsMock.on(UpdateServiceCommand).callsFake(() => {
      sentAt = Date.now();
      return { service: { deployments: [dep(7), dep(6, { runningCount: 2 })] } };
    });
    const before = Date.now();
    const result = await updateService(ecs, args);
    expect(result).toMatchObject({ ...args, deploymentId: 'ecs-svc/new' });
    expect(result.startedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.startedAt.getTime()).toBeLessThanOrEqual(sentAt);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: TD(7),
    });
  });

  it('leaves deploymentId undefined when the PRIMARY is not ours', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({ service: { deployments: [dep(6, { status: 'PRIMARY' })] } });
    expect((await updateService(ecs, args)).deploymentId).toBeUndefined();
  });

  it.each([
    [
      new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }),
      "Cannot update service 'web' in cluster 'prod': ServiceNotFoundException: Service not found.",
    ],
    [
      new AccessDeniedException({ message: 'nope', $metadata: {} }),
      "Access denied updating service 'web' in cluster 'prod': allow ecs:UpdateService (nope)",
    ],
    [
      new ClientException({ message: 'TaskDefinition is inactive', $metadata: {} }),
      "ECS refused to update service 'web' in cluster 'prod': ClientException: TaskDefinition is inactive",
    ],
  ])('turns %p into one UserError line', async (err, message) => {
    ecsMock.on(UpdateServiceCommand).rejects(err);
    const thrown = await updateService(ecs, args).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toBe(message);
  });
});
