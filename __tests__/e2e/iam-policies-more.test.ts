/**
 * The README's IAM policies, proven (continued from iam-policies.test.ts): CodeDeploy, the scan gate and
 * previews behind a load balancer (with preview-delete-images), each run once by a principal whose only
 * permissions are the docs/iam files for it, in the sandbox's policy mode. No docker: images come from an
 * OCI layout or outside the sandbox's registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedLoadBalancer } from '../../sandbox/elbv2/seed.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';
import type { PolicyDocument } from '../../sandbox/iam-policy.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { createRepositories, sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { holdTo, namesFor, policy, refusedSince } from './iam-helpers.js';
import {
  type PreviewEnvironment,
  runOnPullRequest,
  seedTemplateBehindAlb,
  startPreviewEnvironment,
} from './preview-helpers.js';
import { writeOciLayout } from './publish-helpers.js';

let environment: PreviewEnvironment;
let ecs: ECSClient;
let layout: string;
let deployer: { accessKeyId: string; secretAccessKey: string; arn: string };

beforeAll(async () => {
  environment = await startPreviewEnvironment({ timeScale: 60 });
  ecs = sandboxEcs(environment.env);
  deployer = environment.aws.iam.addUser('deployer');
  layout = join(await mkdtemp(join(tmpdir(), 'ecs-ship-iam-')), 'layout');
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [20_000] }]);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const hold = (policies: PolicyDocument[]) => holdTo(environment.aws, deployer.arn, policies);
const refused = (since: number) => refusedSince(environment.aws, deployer.arn, since);
const asDeployer = (env: Record<string, string>) => ({
  ...env,
  AWS_ACCESS_KEY_ID: deployer.accessKeyId,
  AWS_SECRET_ACCESS_KEY: deployer.secretAccessKey,
});

describe('each feature succeeds under exactly its documented policy', () => {
  it('CodeDeploy (a CODE_DEPLOY service, its deployment group)', async () => {
    const codeDeploy = new CodeDeployClient({
      region: 'us-east-1',
      endpoint: environment.aws.endpoint,
      credentials: SANDBOX_USER,
    });
    const blue = seedLoadBalancer(environment.aws, {
      name: 'iam-cd',
      targetGroup: { name: 'iam-cd-blue', Port: 8080 },
    });
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'iam-cd',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: 'public.ecr.aws/nginx/nginx:1.26', portMappings: [{ containerPort: 8080 }] },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        serviceName: 'iam-cd',
        taskDefinition: registered.taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        deploymentController: { type: 'CODE_DEPLOY' },
        loadBalancers: [{ targetGroupArn: blue.targetGroupArn, containerName: 'app', containerPort: 8080 }],
      }),
    );
    await waitSteady(ecs, 'iam-cd');
    await codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'iam-app', computePlatform: 'ECS' }),
    );
    await codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'iam-app',
        deploymentGroupName: 'iam-cd-group',
        serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
        ecsServices: [{ clusterName: 'default', serviceName: 'iam-cd' }],
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        loadBalancerInfo: {
          targetGroupPairInfoList: [{ targetGroups: [{ name: 'iam-cd-blue' }, { name: 'iam-cd-green' }] }],
        },
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
        },
      }),
    );
    codeDeploy.destroy();
    const names = { ...namesFor('iam-cd'), APPLICATION: 'iam-app', DEPLOYMENT_GROUP: 'iam-cd-group' };
    hold([policy('deploy', names), policy('codedeploy', names)]);
    const since = environment.aws.requests.length;
    const { main } = await runAction({
      inputs: {
        service: 'iam-cd',
        containers: 'app=public.ecr.aws/nginx/nginx:1.27',
        'codedeploy-application': 'iam-app',
        'codedeploy-deployment-group': 'iam-cd-group',
        'poll-seconds': '0.2',
      },
      env: asDeployer(environment.env),
      post: false,
    });
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
  }, 120_000);

  it('push with the scan gate (fail-on-severity)', async () => {
    await seedService(ecs, { service: 'iam-scan', desiredCount: 1 });
    await waitSteady(ecs, 'iam-scan');
    await createRepositories(environment.env, 'iam-scan');
    environment.aws.state.ecr.scans.set('iam-scan', { progress: ['IN_PROGRESS'], findings: { LOW: 2 } });
    const names = namesFor('iam-scan');
    hold(['push', 'deploy', 'scan'].map((f) => policy(f, names)));
    const since = environment.aws.requests.length;
    const { main } = await runAction({
      inputs: {
        image: `oci-layout:${layout}:v1`,
        repository: 'iam-scan',
        tags: 'v1',
        service: 'iam-scan',
        'fail-on-severity': 'high',
        'poll-seconds': '0.2',
      },
      env: asDeployer(environment.env),
      post: false,
    });
    expect({ code: main.code, errors: errorLines(main), refused: refused(since) }).toEqual({
      code: 0,
      errors: [],
      refused: [],
    });
    const ecrCalls = environment.aws.requests.slice(since).map((r) => r.operation);
    expect(ecrCalls).toEqual(expect.arrayContaining(['StartImageScan', 'DescribeImageScanFindings']));
  }, 120_000);

  it('previews behind a load balancer: opened, then closed with preview-delete-images', async () => {
    const alb = await seedTemplateBehindAlb(environment.aws, ecs, 'iam-web', {
      listeners: [{ port: 443, protocol: 'HTTPS' }],
      targetGroup: { Port: 80 },
    });
    await createRepositories(environment.env, 'iam-web');
    const names = { ...namesFor('iam-web'), LOAD_BALANCER: 'iam-web' };
    hold([policy('push', names), policy('preview', names)]);
    const inputs = {
      image: `oci-layout:${layout}:v1`,
      repository: 'iam-web',
      service: 'iam-web',
      'preview-listener-arn': alb.listenerArn,
      'preview-host': 'pr-{number}.preview.example.com',
      'preview-delete-images': 'true',
    };
    const run = async (action: 'opened' | 'closed') => {
      const since = environment.aws.requests.length;
      const pr = { ...environment, env: asDeployer(environment.env) };
      const { main } = await runOnPullRequest(pr, { action, number: 7 }, inputs);
      const calls = environment.aws.requests.slice(since).map((r) => r.operation);
      return { code: main.code, errors: errorLines(main), refused: refused(since), calls };
    };
    const ok = (...calls: string[]) => ({
      code: 0,
      errors: [],
      refused: [],
      calls: expect.arrayContaining(calls),
    });
    expect(await run('opened')).toEqual(ok('CreateService', 'CreateTargetGroup', 'CreateRule'));
    expect(environment.aws.state.service('iam-web-pr-7')?.status).toBe('ACTIVE');
    expect(await run('closed')).toEqual(
      ok('DeleteService', 'DeleteTaskDefinitions', 'BatchDeleteImage', 'DeleteRule', 'DeleteTargetGroup'),
    );
    expect(environment.aws.state.service('iam-web-pr-7')?.status).not.toBe('ACTIVE');
  }, 180_000);
});
