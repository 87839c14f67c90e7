import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentGroupDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type DeploymentTarget,
} from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeClock } from '../../poll/fake-clock.js';
import { appSpecContent, deployWithCodeDeploy } from '../../../../src/deploy/codedeploy/deployment.js';
import { judgeCodeDeploy, targetLines } from '../../../../src/deploy/codedeploy/verdict.js';
import { ChangedLines } from '../../../../src/poll/changed-lines.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:8';
const service: Service = {
  serviceName: 'shop',
  deploymentController: { type: 'CODE_DEPLOY' },
  loadBalancers: [{ targetGroupArn: 'arn:tg/blue', containerName: 'app', containerPort: 8080 }],
};

describe('the AppSpec', () => {
  it('points at the new revision and the container and port of the service load balancer', () => {
    expect(JSON.parse(appSpecContent(TD, service))).toEqual({
      version: '0.0',
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: TD,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
  });
});

describe("CodeDeploy's verdict", () => {
  it.each<[DeploymentInfo | undefined, ReturnType<typeof judgeCodeDeploy>]>([
    [undefined, { done: false }],
    ...(['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const).map(
      (status): [DeploymentInfo, ReturnType<typeof judgeCodeDeploy>] => [{ status }, { done: false }],
    ),
    [
      { deploymentId: 'd-1', status: 'Succeeded' },
      { done: true, success: true, state: 'SUCCESSFUL', reason: 'CodeDeploy reports d-1 Succeeded' },
    ],
    [
      {
        deploymentId: 'd-2',
        status: 'Failed',
        errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'The ECS service cannot be updated' },
        rollbackInfo: { rollbackDeploymentId: 'd-3' },
      },
      {
        done: true,
        success: false,
        state: 'FAILED',
        reason:
          'CodeDeploy deployment d-2 Failed: ECS_UPDATE_ERROR: The ECS service cannot be updated; CodeDeploy rolled back in d-3',
      },
    ],
    [
      { deploymentId: 'd-4', status: 'Stopped' },
      { done: true, success: false, state: 'FAILED', reason: 'CodeDeploy deployment d-4 Stopped' },
    ],
  ])('%j', (info, verdict) => {
    expect(judgeCodeDeploy(info)).toEqual(verdict);
  });
});

const cd = mockClient(CodeDeployClient);
const client = new CodeDeployClient({ region: 'us-east-1' });

function target(events: Array<[string, string]>, weights: Array<[string, number]>): DeploymentTarget {
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      lifecycleEvents: events.map(([lifecycleEventName, status]) => ({ lifecycleEventName, status })),
      taskSetsInfo: weights.map(([taskSetLabel, trafficWeight]) => ({ taskSetLabel, trafficWeight })),
    },
  } as DeploymentTarget;
}

async function run(timeoutMinutes = 5) {
  const lines: string[] = [];
  const result = await deployWithCodeDeploy({
    region: 'us-east-1',
    cluster: 'prod',
    service,
    taskDefinitionArn: TD,
    application: 'shop',
    deploymentGroup: 'shop-prod',
    pollSeconds: 2,
    timeoutMinutes,
    log: (l) => lines.push(l.replace(/^\[\s*\d+s\] /, '')),
    client,
    clock: fakeClock(),
  });
  return { result, lines };
}

beforeEach(() => {
  cd.reset();
});

describe('the lifecycle event lines', () => {
  it('say nothing of events still Pending when first seen, then follow every move', () => {
    const memory = new ChangedLines();
    const tracker = { changes: (t: DeploymentTarget) => memory.news(targetLines(t)) };
    const first = target(
      [
        ['BeforeInstall', 'Succeeded'],
        ['Install', 'InProgress'],
        ['AllowTraffic', 'Pending'],
      ],
      [['Blue', 100]],
    );
    expect(tracker.changes(first)).toEqual([
      'lifecycle event BeforeInstall Succeeded',
      'lifecycle event Install InProgress',
      'traffic: Blue 100%',
    ]);
    expect(tracker.changes(first)).toEqual([]);
    const failed = target(
      [
        ['BeforeInstall', 'Succeeded'],
        ['Install', 'Failed'],
        ['AllowTraffic', 'Skipped'],
      ],
      [['Blue', 100]],
    );
    expect(tracker.changes(failed)).toEqual([
      'lifecycle event Install Failed',
      'lifecycle event AllowTraffic Skipped',
    ]);
  });
});

describe('a CodeDeploy deployment', () => {
  it('is created with the AppSpec, watched until Succeeded, printing lifecycle events and traffic as they move', async () => {
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ABC' });
    cd.on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: { deploymentId: 'd-ABC', status: 'InProgress' } })
      .resolvesOnce({ deploymentInfo: { deploymentId: 'd-ABC', status: 'InProgress' } })
      .resolves({ deploymentInfo: { deploymentId: 'd-ABC', status: 'Succeeded' } });
    cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod:shop'] });
    cd.on(GetDeploymentTargetCommand)
      .resolvesOnce({ deploymentTarget: target([['Install', 'InProgress']], [['Blue', 100]]) })
      .resolvesOnce({
        deploymentTarget: target(
          [
            ['Install', 'Succeeded'],
            ['AllowTraffic', 'InProgress'],
          ],
          [
            ['Blue', 100],
            ['Green', 0],
          ],
        ),
      })
      .resolves({
        deploymentTarget: target(
          [
            ['Install', 'Succeeded'],
            ['AllowTraffic', 'Succeeded'],
          ],
          [
            ['Blue', 0],
            ['Green', 100],
          ],
        ),
      });
    const { result, lines } = await run();
    expect(cd.commandCalls(CreateDeploymentCommand)[0]?.args[0].input).toEqual({
      applicationName: 'shop',
      deploymentGroupName: 'shop-prod',
      description: 'ecs-ship: shop:8',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecContent(TD, service) } },
    });
    expect(result).toMatchObject({ state: 'SUCCESSFUL', success: true, deploymentId: 'd-ABC' });
    expect(lines.slice(1)).toEqual([
      'CodeDeploy deployment InProgress',
      'lifecycle event Install InProgress',
      'traffic: Blue 100%',
      'lifecycle event Install Succeeded',
      'lifecycle event AllowTraffic InProgress',
      'traffic: Blue 100%, Green 0%',
      'CodeDeploy deployment Succeeded',
      'lifecycle event AllowTraffic Succeeded',
      'traffic: Blue 0%, Green 100%',
      'SUCCESSFUL: CodeDeploy reports d-ABC Succeeded',
    ]);
    expect(cd.commandCalls(ListDeploymentTargetsCommand)).toHaveLength(1);
  });

  it('fails with the errorInformation message', async () => {
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-BAD' });
    cd.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        deploymentId: 'd-BAD',
        status: 'Failed',
        errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'Invalid container name app2' },
      },
    });
    cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] });
    const { result } = await run();
    expect(result).toMatchObject({
      state: 'FAILED',
      success: false,
      reason: 'CodeDeploy deployment d-BAD Failed: ECS_UPDATE_ERROR: Invalid container name app2',
    });
  });

  it('reports a refused CreateDeployment in one line', async () => {
    cd.on(CreateDeploymentCommand).rejects(
      new DeploymentGroupDoesNotExistException({
        message: 'No Deployment Group found for name: shop-prod',
        $metadata: {},
      }),
    );
    const { result } = await run();
    expect(result).toMatchObject({
      state: 'FAILED',
      reason:
        'CodeDeploy refused the deployment of shop:8: DeploymentGroupDoesNotExistException: No Deployment Group found for name: shop-prod',
    });
  });

  it('times out on a deployment that stays Ready (waiting for a manual reroute)', async () => {
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-WAIT' });
    cd.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-WAIT', status: 'Ready' } });
    cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] });
    const { result } = await run(1);
    expect(result).toMatchObject({
      state: 'TIMED_OUT',
      reason: 'Timed out after 1 min waiting for CodeDeploy deployment d-WAIT (Ready)',
    });
  });

  it('says once what changed, and every 30 s what it still waits for', async () => {
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-SLOW' });
    cd.on(GetDeploymentCommand).resolves({
      deploymentInfo: { deploymentId: 'd-SLOW', status: 'InProgress' },
    });
    cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod:shop'] });
    cd.on(GetDeploymentTargetCommand).resolves({
      deploymentTarget: target(
        [
          ['BeforeInstall', 'Succeeded'],
          ['Install', 'InProgress'],
        ],
        [['Blue', 100]],
      ),
    });
    const { result, lines } = await run(2);
    expect(result.state).toBe('TIMED_OUT');
    expect(lines.slice(1)).toEqual([
      'CodeDeploy deployment InProgress',
      'lifecycle event BeforeInstall Succeeded',
      'lifecycle event Install InProgress',
      'traffic: Blue 100%',
      'still waiting for CodeDeploy deployment d-SLOW: InProgress, lifecycle event Install in progress; 30s of 2m',
      'still waiting for CodeDeploy deployment d-SLOW: InProgress, lifecycle event Install in progress; 1m of 2m',
      'still waiting for CodeDeploy deployment d-SLOW: InProgress, lifecycle event Install in progress; 1m 30s of 2m',
      'TIMED_OUT: Timed out after 2 min waiting for CodeDeploy deployment d-SLOW (InProgress)',
    ]);
  });
});
