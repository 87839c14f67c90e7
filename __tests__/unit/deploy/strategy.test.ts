import { describe, expect, it } from '@jest/globals';
import type { DeploymentConfiguration, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import {
  checkStrategyPlan,
  deploymentConfigurationFor,
  describeStrategy,
  trafficLine,
} from '../../../src/deploy/strategy.js';
import { readStrategyInputs, type StrategyInputs } from '../../../src/inputs/strategy.js';

const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('strategy inputs', () => {
  it('are undefined when none is set, so the services roll out as configured', () => {
    expect(readStrategyInputs(read({}))).toBeUndefined();
  });

  it.each([
    [
      { 'deployment-strategy': 'blue_green', 'bake-time-minutes': '15' },
      { strategy: 'BLUE_GREEN', bakeTimeMinutes: 15 },
    ],
    [
      { 'deployment-strategy': 'CANARY', 'canary-percent': '12.5', 'canary-bake-minutes': '0' },
      { strategy: 'CANARY', canary: { percent: 12.5, bakeMinutes: 0 } },
    ],
    [
      { 'deployment-strategy': 'LINEAR', 'linear-step-percent': '3' },
      { strategy: 'LINEAR', linear: { stepPercent: 3, stepBakeMinutes: undefined } },
    ],
    [{ 'deployment-strategy': 'ROLLING' }, { strategy: 'ROLLING', canary: undefined, linear: undefined }],
    [
      { 'codedeploy-application': 'shop', 'codedeploy-deployment-group': 'shop-prod' },
      { strategy: undefined, codeDeploy: { application: 'shop', deploymentGroup: 'shop-prod' } },
    ],
  ])('%j', (values, expected) => {
    expect(readStrategyInputs(read(values))).toMatchObject(expected);
  });

  it.each([
    [
      { 'deployment-strategy': 'SHADOW' },
      "Input 'deployment-strategy' is 'SHADOW': expected one of ROLLING, BLUE_GREEN, LINEAR, CANARY.",
    ],
    [
      { 'deployment-strategy': 'BLUE_GREEN', 'bake-time-minutes': '1441' },
      "Input 'bake-time-minutes' is '1441': expected a whole number of minutes from 0 to 1440.",
    ],
    [
      { 'deployment-strategy': 'BLUE_GREEN', 'bake-time-minutes': '1.5' },
      "Input 'bake-time-minutes' is '1.5': expected a whole number of minutes from 0 to 1440.",
    ],
    [
      { 'deployment-strategy': 'CANARY', 'canary-percent': '0.05' },
      "Input 'canary-percent' is '0.05': expected a percentage from 0.1 to 100 in steps of 0.1.",
    ],
    [
      { 'deployment-strategy': 'CANARY', 'canary-percent': '10.25' },
      "Input 'canary-percent' is '10.25': expected a percentage from 0.1 to 100 in steps of 0.1.",
    ],
    [
      { 'deployment-strategy': 'LINEAR', 'linear-step-percent': '2.9' },
      "Input 'linear-step-percent' is '2.9': expected a percentage from 3 to 100 in steps of 0.1.",
    ],
    [
      { 'deployment-strategy': 'LINEAR', 'linear-step-bake-minutes': '-1' },
      "Input 'linear-step-bake-minutes' is '-1': expected a whole number of minutes from 0 to 1440.",
    ],
    [
      { 'canary-percent': '10' },
      "Input 'canary-percent' is set, but 'deployment-strategy' is not set: set deployment-strategy to CANARY.",
    ],
    [
      { 'deployment-strategy': 'LINEAR', 'canary-bake-minutes': '5' },
      "Input 'canary-bake-minutes' is set, but 'deployment-strategy' is LINEAR: set deployment-strategy to CANARY.",
    ],
    [
      { 'deployment-strategy': 'ROLLING', 'bake-time-minutes': '5' },
      "Input 'bake-time-minutes' is set, but 'deployment-strategy' is ROLLING: set deployment-strategy to one of BLUE_GREEN, LINEAR, CANARY.",
    ],
    [
      { 'codedeploy-application': 'shop' },
      "Input 'codedeploy-application' is set, but 'codedeploy-deployment-group' is not: CodeDeploy needs both.",
    ],
  ])('refuses %j in one line', (values, message) => {
    expect(() => readStrategyInputs(read(values))).toThrow(message);
  });
});

const inputs = (over: Partial<StrategyInputs>): StrategyInputs => ({
  strategy: undefined,
  bakeTimeMinutes: undefined,
  canary: undefined,
  linear: undefined,
  codeDeploy: undefined,
  ...over,
});

const ROLLING: DeploymentConfiguration = {
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: true, rollback: true },
  alarms: { alarmNames: ['5xx'], enable: true, rollback: true },
  strategy: 'ROLLING',
};

describe('the deploymentConfiguration sent with UpdateService', () => {
  it('is left out without a strategy input, so ROLLING services see the same call as before', () => {
    expect(deploymentConfigurationFor(ROLLING, undefined)).toBeUndefined();
    expect(
      deploymentConfigurationFor(ROLLING, inputs({ codeDeploy: { application: 'a', deploymentGroup: 'g' } })),
    ).toBeUndefined();
  });

  it.each<[string, DeploymentConfiguration | undefined, Partial<StrategyInputs>, DeploymentConfiguration]>([
    [
      'keeps breaker, alarms and percentages, adds the strategy',
      ROLLING,
      { strategy: 'BLUE_GREEN', bakeTimeMinutes: 10 },
      { ...ROLLING, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
    ],
    [
      'a canary setting not given keeps the service one',
      {
        ...ROLLING,
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
        bakeTimeInMinutes: 3,
      },
      { strategy: 'CANARY', canary: { percent: 20, bakeMinutes: undefined } },
      {
        ...ROLLING,
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 10 },
        bakeTimeInMinutes: 3,
      },
    ],
    [
      'switching from CANARY to LINEAR drops the canary settings',
      { ...ROLLING, strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5 } },
      { strategy: 'LINEAR', linear: { stepPercent: 25, stepBakeMinutes: 2 } },
      { ...ROLLING, strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } },
    ],
    [
      'back to ROLLING drops every strategy setting',
      { ...ROLLING, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
      { strategy: 'ROLLING' },
      ROLLING,
    ],
    ['a service that reported no configuration', undefined, { strategy: 'LINEAR' }, { strategy: 'LINEAR' }],
  ])('%s', (_name, current, given, expected) => {
    expect(deploymentConfigurationFor(current, inputs(given))).toEqual(expected);
  });

  it.each<[DeploymentConfiguration | undefined, string]>([
    [undefined, 'ROLLING'],
    [{ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, 'BLUE_GREEN: bake 0 min'],
    [
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 10 } },
      'LINEAR: 10% per step, ? between steps',
    ],
    [{ strategy: 'CANARY' }, 'CANARY: default% for ?, then the rest'],
  ])('describes %j as %s', (cfg, text) => {
    expect(describeStrategy(cfg)).toBe(text);
  });
});

describe('traffic weights in the watcher line', () => {
  it.each<[ServiceDeployment, string | undefined]>([
    [{ targetServiceRevision: { arn: 'r' } }, undefined],
    [
      { targetServiceRevision: { requestedProductionTrafficWeight: 25, requestedTestTrafficWeight: 100 } },
      'traffic: production 25% new / 75% old, test 100% new',
    ],
    [
      { targetServiceRevision: { requestedProductionTrafficWeight: 12.5 } },
      'traffic: production 12.5% new / 87.5% old',
    ],
  ])('%j', (sd, line) => {
    expect(trafficLine(sd)).toBe(line);
  });
});

describe('the plan check of controllers and strategy inputs', () => {
  const ecsService: Service = { serviceName: 'web', deploymentController: { type: 'ECS' } };
  const codeDeploy: Service = {
    serviceName: 'shop',
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [{ targetGroupArn: 'tg', containerName: 'app', containerPort: 8080 }],
  };
  const cd = { codeDeploy: { application: 'shop', deploymentGroup: 'prod' } };

  it.each<[string, Service[], Partial<StrategyInputs> | undefined, string | undefined]>([
    ['ECS services need nothing', [ecsService, {}], undefined, undefined],
    ['a CODE_DEPLOY service with the CodeDeploy inputs', [codeDeploy, ecsService], cd, undefined],
    [
      'a CODE_DEPLOY service without them',
      [codeDeploy],
      undefined,
      "Service 'shop' uses the CODE_DEPLOY deployment controller: set 'codedeploy-application' and 'codedeploy-deployment-group'.",
    ],
    [
      'a CODE_DEPLOY service with an ECS strategy',
      [codeDeploy],
      { ...cd, strategy: 'CANARY' },
      "Service 'shop' uses the CODE_DEPLOY deployment controller: its strategy is the CodeDeploy deployment group's, so 'deployment-strategy' cannot apply. Leave it empty.",
    ],
    [
      'a CODE_DEPLOY service without a load balancer',
      [{ ...codeDeploy, loadBalancers: [] }],
      cd,
      "Service 'shop' uses the CODE_DEPLOY deployment controller, but has no load balancer with a container name and port, which the AppSpec needs.",
    ],
    [
      'CodeDeploy inputs and no such service',
      [ecsService],
      cd,
      "Input 'codedeploy-application' is set, but no service given uses the CODE_DEPLOY deployment controller.",
    ],
  ])('%s', (_name, services, given, message) => {
    const run = () => checkStrategyPlan(services, given ? inputs(given) : undefined);
    if (message) expect(run).toThrow(message);
    else expect(run).not.toThrow();
  });
});
