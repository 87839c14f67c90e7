import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { INSTALL_TIMEOUT_MESSAGE } from '../../sandbox/codedeploy-rollout.js';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { sandboxClientConfig } from './helpers.js';

/**
 * CodeDeploy over real HTTP with the SDK's own client: an application and deployment group bound to a
 * CODE_DEPLOY service, deployments that succeed (blue/green through the lifecycle events) and ones whose
 * replacement never becomes healthy (the real pull check), with and without automatic rollback.
 * The sandbox's clock is manual: the tests step time one sandbox second at a time, so every short-lived
 * state (a deployment is `Created` for one second) is seen however loaded the machine is.
 */

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let ecs: ECSClient;
let cd: CodeDeployClient;

beforeAll(async () => {
  registry = await startRegistry();
  sandbox = await startAwsSandbox({ registry, timeScale: 40, clock: 'manual' });
  const config = sandboxClientConfig(sandbox.endpoint);
  ecs = new ECSClient(config);
  cd = new CodeDeployClient(config);
  await cd.send(new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' }));
});

afterAll(async () => {
  ecs?.destroy();
  cd?.destroy();
  await closeAndCheck(sandbox);
  await registry?.stop();
});

/** Checks, then moves sandbox time on by one second, until `check` answers (at most an hour of sandbox time). */
async function stepUntil<T>(check: () => Promise<T | undefined>, seconds = 3600): Promise<T> {
  for (let i = 0; i < seconds; i++) {
    const value = await check();
    if (value !== undefined) return value;
    sandbox.advance(1);
  }
  throw new Error(`condition not met within ${seconds} sandbox seconds`);
}

async function register(family: string, image: string): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        { name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] },
      ],
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

/** A steady CODE_DEPLOY service and a deployment group for it. */
async function codeDeployService(name: string, autoRollback: boolean): Promise<string> {
  const first = await register(name, 'public.ecr.aws/nginx/nginx:1');
  await ecs.send(
    new CreateServiceCommand({
      serviceName: name,
      taskDefinition: first,
      desiredCount: 2,
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [{ targetGroupArn: `arn:tg/${name}-blue`, containerName: 'app', containerPort: 8080 }],
    }),
  );
  await stepUntil(async () => {
    const s = (await ecs.send(new DescribeServicesCommand({ services: [name] }))).services?.[0];
    return s?.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' ? true : undefined;
  });
  await cd.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'shop',
      deploymentGroupName: name,
      serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      ecsServices: [{ clusterName: 'default', serviceName: name }],
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: `${name}-blue` }, { name: `${name}-green` }],
            prodTrafficRoute: { listenerArns: ['arn:l'] },
          },
        ],
      },
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
      },
      autoRollbackConfiguration: {
        enabled: autoRollback,
        events: autoRollback ? ['DEPLOYMENT_FAILURE'] : [],
      },
    }),
  );
  return first;
}

function appSpec(taskDefinition: string, port = 8080): string {
  return JSON.stringify({
    version: '0.0',
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinition,
            LoadBalancerInfo: { ContainerName: 'app', ContainerPort: port },
          },
        },
      },
    ],
  });
}

async function createDeployment(group: string, taskDefinition: string, port = 8080): Promise<string> {
  const out = await cd.send(
    new CreateDeploymentCommand({
      applicationName: 'shop',
      deploymentGroupName: group,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: appSpec(taskDefinition, port) },
      },
    }),
  );
  return out.deploymentId ?? '';
}

/** Polls like the action does until CodeDeploy's verdict; returns every distinct status, event line and weight. */
async function follow(deploymentId: string) {
  const statuses: string[] = [];
  const events: string[] = [];
  const traffic: string[] = [];
  let info: DeploymentInfo | undefined;
  let target: ECSTarget | undefined;
  await stepUntil(async () => {
    info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
    if (info?.status && statuses.at(-1) !== info.status) statuses.push(info.status);
    const [targetId] = (await cd.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds ?? [];
    target = (await cd.send(new GetDeploymentTargetCommand({ deploymentId, targetId }))).deploymentTarget
      ?.ecsTarget;
    for (const e of target?.lifecycleEvents ?? []) {
      const line = `${e.lifecycleEventName} ${e.status}`;
      if (!events.includes(line)) events.push(line);
    }
    const weights = (target?.taskSetsInfo ?? [])
      .map((s) => `${s.taskSetLabel} ${s.trafficWeight}`)
      .join(', ');
    if (weights && traffic.at(-1) !== weights) traffic.push(weights);
    return ['Succeeded', 'Failed', 'Stopped'].includes(info?.status ?? '') ? true : undefined;
  });
  return { statuses, events, traffic, info: info!, target: target! };
}

async function service(name: string) {
  return (await ecs.send(new DescribeServicesCommand({ services: [name] }))).services?.[0];
}

const aliveImages = (name: string) =>
  sandbox.state
    .tasksOf(name)
    .filter((t) => t.desiredStatus === 'RUNNING')
    .map((t) => t.containers?.[0]?.image);

describe('CodeDeploy in the sandbox', () => {
  it('a CODE_DEPLOY service shows its controller and load balancer, and UpdateService refuses a new revision', async () => {
    const first = await codeDeployService('refuse', false);
    const s = await service('refuse');
    expect(s?.deploymentController).toEqual({ type: 'CODE_DEPLOY' });
    expect(s?.loadBalancers).toEqual([
      { targetGroupArn: 'arn:tg/refuse-blue', containerName: 'app', containerPort: 8080 },
    ]);
    await expect(
      ecs.send(new UpdateServiceCommand({ service: 'refuse', taskDefinition: first })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    });
    // What ECS still allows on such a service.
    await ecs.send(new UpdateServiceCommand({ service: 'refuse', desiredCount: 1 }));
    expect((await service('refuse'))?.desiredCount).toBe(1);
  });

  it('deploys blue/green: lifecycle events in order, traffic moves to green, blue goes, the service is on the new revision', async () => {
    await codeDeployService('happy', false);
    const next = await register('happy', 'public.ecr.aws/nginx/nginx:2');
    const id = await createDeployment('happy', next);
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    const run = await follow(id);
    expect(run.info.status).toBe('Succeeded');
    expect(run.statuses[0]).toBe('Created');
    expect(run.statuses).toEqual(expect.arrayContaining(['InProgress', 'Succeeded']));
    expect(run.statuses.at(-1)).toBe('Succeeded');
    expect(run.target.lifecycleEvents?.map((e) => `${e.lifecycleEventName} ${e.status}`)).toEqual([
      'BeforeInstall Succeeded',
      'Install Succeeded',
      'AfterInstall Succeeded',
      'AllowTestTraffic Succeeded',
      'AfterAllowTestTraffic Succeeded',
      'BeforeAllowTraffic Succeeded',
      'AllowTraffic Succeeded',
      'AfterAllowTraffic Succeeded',
    ]);
    expect(run.events).toEqual(expect.arrayContaining(['Install InProgress', 'AllowTraffic InProgress']));
    // All at once (CodeDeployDefault.ECSAllAtOnce, the group's default).
    expect(run.traffic).toEqual(['Blue 100, Green 0', 'Blue 0, Green 100']);
    expect(run.target.targetId).toBe('default:happy');
    expect(run.target.taskSetsInfo?.map((s) => s.targetGroup?.name)).toEqual(['happy-blue', 'happy-green']);
    const s = await service('happy');
    expect(s?.taskDefinition).toBe(next);
    expect(s?.deployments?.map((d) => d.taskDefinition)).toEqual([next]);
    expect(aliveImages('happy')).toEqual(['public.ecr.aws/nginx/nginx:2', 'public.ecr.aws/nginx/nginx:2']);
  });

  it('a replacement that never becomes healthy fails Install; automatic rollback leaves the service on blue', async () => {
    const first = await codeDeployService('rollback', true);
    const broken = await register('rollback', `${registry.host}/never-pushed:1`);
    sandbox.state.codeDeploy.installTimeoutSeconds = 30;
    try {
      const run = await follow(await createDeployment('rollback', broken));
      expect(run.info).toMatchObject({
        status: 'Failed',
        errorInformation: { code: 'ECS_UPDATE_ERROR', message: INSTALL_TIMEOUT_MESSAGE },
      });
      const install = run.target.lifecycleEvents?.find((e) => e.lifecycleEventName === 'Install');
      expect(install).toMatchObject({ status: 'Failed', diagnostics: { message: INSTALL_TIMEOUT_MESSAGE } });
      expect(run.target.lifecycleEvents?.at(-1)?.status).toBe('Skipped');
      expect(run.traffic.at(-1)).toBe('Blue 100, Green 0');
      const rollbackId = run.info.rollbackInfo?.rollbackDeploymentId ?? '';
      const rollback = await follow(rollbackId);
      expect(rollback.info).toMatchObject({
        status: 'Succeeded',
        creator: 'codeDeployRollback',
        rollbackInfo: { rollbackTriggeringDeploymentId: run.info.deploymentId },
      });
      await stepUntil(async () =>
        (await service('rollback'))?.deployments?.length === 1 ? true : undefined,
      );
      const s = await service('rollback');
      expect(s?.taskDefinition).toBe(first);
      expect(aliveImages('rollback')).toEqual([
        'public.ecr.aws/nginx/nginx:1',
        'public.ecr.aws/nginx/nginx:1',
      ]);
      // The failed tasks really failed the pull.
      const stopped = sandbox.state.tasksOf('rollback').filter((t) => t.taskDefinitionArn === broken);
      expect(stopped[0]?.stoppedReason).toMatch(/CannotPullContainerError/);
    } finally {
      sandbox.state.codeDeploy.installTimeoutSeconds = 3600;
    }
  });

  it('without automatic rollback the deployment fails, green stops launching and blue keeps serving', async () => {
    await codeDeployService('norollback', false);
    const broken = await register('norollback', `${registry.host}/never-pushed:2`);
    sandbox.state.codeDeploy.installTimeoutSeconds = 20;
    try {
      const run = await follow(await createDeployment('norollback', broken));
      expect(run.info.status).toBe('Failed');
      expect(run.info.rollbackInfo).toBeUndefined();
      expect(run.target.taskSetsInfo?.map((s) => [s.taskSetLabel, s.trafficWeight, s.desiredCount])).toEqual([
        ['Blue', 100, 2],
        ['Green', 0, 0],
      ]);
      expect(aliveImages('norollback').filter((i) => i === 'public.ecr.aws/nginx/nginx:1')).toHaveLength(2);
    } finally {
      sandbox.state.codeDeploy.installTimeoutSeconds = 3600;
    }
  });

  it('refuses what CodeDeploy refuses', async () => {
    await codeDeployService('refusals', false);
    const next = await register('refusals', 'public.ecr.aws/nginx/nginx:3');
    await expect(createDeployment('nope', next)).rejects.toMatchObject({
      name: 'DeploymentGroupDoesNotExistException',
    });
    await expect(createDeployment('refusals', next, 9999)).rejects.toMatchObject({
      name: 'InvalidRevisionException',
    });
    const id = await createDeployment('refusals', next);
    await expect(createDeployment('refusals', next)).rejects.toMatchObject({
      name: 'DeploymentLimitExceededException',
      message: `The Deployment Group 'refusals' already has an active Deployment '${id}'`,
    });
    await expect(cd.send(new GetDeploymentCommand({ deploymentId: 'd-ZZZZZZZZZ' }))).rejects.toMatchObject({
      name: 'DeploymentDoesNotExistException',
    });
    // A deployment group needs a CODE_DEPLOY service.
    await ecs.send(
      new CreateServiceCommand({ serviceName: 'rolling', taskDefinition: next, desiredCount: 1 }),
    );
    await expect(
      cd.send(
        new CreateDeploymentGroupCommand({
          applicationName: 'shop',
          deploymentGroupName: 'rolling',
          serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
          ecsServices: [{ clusterName: 'default', serviceName: 'rolling' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidECSServiceException' });
    expect(
      sandbox.requests.filter((r) => r.service === 'codedeploy' && r.operation === 'CreateDeployment'),
    ).not.toHaveLength(0);
    await follow(id);
  });
});
