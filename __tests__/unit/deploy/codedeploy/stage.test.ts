import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ECSClient, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { CodeDeployArgs } from '../../../../src/deploy/codedeploy/deployment.js';
import type { RolloutTarget } from '../../../../src/deploy/rollout/verdict.js';
import type { RolloutResult } from '../../../../src/deploy/rollout/watch.js';
import { recordingLog } from '../../report/recording-log.js';
import { deployInputs, TD } from '../fixtures.js';

// The stage's edges: the ECS poller and the CodeDeploy poller (each has its own tests).
const done = (state: RolloutResult['state'], deploymentId: string): RolloutResult => ({
  state,
  success: state === 'SUCCESSFUL',
  reason: state,
  serviceDeploymentArn: undefined,
  deploymentId,
  durationMs: 1,
  timeline: [],
});
const watched: string[] = [];
jest.unstable_mockModule('../../../../src/deploy/rollout/watch.js', () => ({
  watchRollout: async (_ecs: unknown, target: RolloutTarget) => {
    watched.push(target.service);
    return done('SUCCESSFUL', `ecs-svc/${target.service}`);
  },
}));
const codeDeployCalls: CodeDeployArgs[] = [];
jest.unstable_mockModule('../../../../src/deploy/codedeploy/deployment.js', () => ({
  deployWithCodeDeploy: async (args: CodeDeployArgs) => {
    codeDeployCalls.push(args);
    return done('FAILED', 'd-123');
  },
}));
const { deployStage } = await import('../../../../src/deploy/stage.js');

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'eu-west-1' });

const inputs = deployInputs({ services: ['web', 'shop'] });
const revision = { arn: TD(7), containers: [{ name: 'app', essential: true }], runTaskContainer: undefined };
const web: Service = {
  serviceName: 'web',
  deploymentController: { type: 'ECS' },
  deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, strategy: 'ROLLING' },
};
const shop: Service = {
  serviceName: 'shop',
  deploymentController: { type: 'CODE_DEPLOY' },
  loadBalancers: [{ containerName: 'app', containerPort: 80 }],
};
const codeDeploy = { application: 'shop', deploymentGroup: 'shop-prod' };
const strategyInputs = {
  strategy: undefined,
  bakeTimeMinutes: undefined,
  canary: undefined,
  linear: undefined,
  codeDeploy,
};

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(UpdateServiceCommand).resolves({});
  codeDeployCalls.length = 0;
  watched.length = 0;
});

describe('deployStage with a CODE_DEPLOY service', () => {
  it('creates a CodeDeploy deployment for it and calls UpdateService only for the ECS one', async () => {
    const outcome = await deployStage(ecs, inputs, revision, recordingLog().log, {
      inputs: strategyInputs,
      described: [web, shop],
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.service)).toEqual(['web']);
    expect(watched).toEqual(['web']);
    expect(
      codeDeployCalls.map((a) => [a.region, a.service.serviceName, a.taskDefinitionArn, a.application]),
    ).toEqual([['eu-west-1', 'shop', TD(7), 'shop']]);
    expect(outcome.services.map((s) => [s.service, s.state, s.deploymentId])).toEqual([
      ['web', 'SUCCESSFUL', 'ecs-svc/web'],
      ['shop', 'FAILED', 'd-123'],
    ]);
    expect(outcome.state).toBe('FAILED');
  });

  it('passes the chosen strategy to UpdateService over the service configuration', async () => {
    await deployStage(ecs, { ...inputs, services: ['web'] }, revision, recordingLog().log, {
      inputs: { ...strategyInputs, codeDeploy: undefined, strategy: 'BLUE_GREEN', bakeTimeMinutes: 2 },
      described: [web],
    });
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]?.args[0].input.deploymentConfiguration).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 2,
    });
  });
});
