import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { alarmsInAlarm } from '../../sandbox/ecs/strategies.js';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';

/**
 * ECS-native BLUE_GREEN, LINEAR and CANARY rollouts, run as the runner runs the bundled action against the
 * sandbox. Each service's container names its own image (`name=IMAGE`), so nothing is pushed and no docker
 * daemon is needed. At time scale 60 a minute of bake is one real second.
 */

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 60, docker: false });
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

async function seeded(service: string): Promise<string> {
  const { taskDefinitionArn } = await seedService(ecs, { service, desiredCount: 2 });
  await waitSteady(ecs, service);
  return taskDefinitionArn;
}

function deploy(service: string, inputs: Record<string, string>): Promise<{ main: StepResult }> {
  return runAction({
    inputs: {
      service,
      containers: `${service}=public.ecr.aws/nginx/nginx:1.27`,
      'poll-seconds': '0.1',
      ...inputs,
    },
    env: environment.env,
    post: false,
  });
}

/** The watcher's service-deployment lines, without the elapsed-time prefix. */
function stageLines(main: StepResult): string[] {
  return main.stdout
    .split('\n')
    .map((l) => l.replace(/^\[\s*\d+s\] /, ''))
    .filter((l) => l.startsWith('service deployment '));
}

const stages = (main: StepResult) => [
  ...new Set(stageLines(main).flatMap((l) => /stage (\w+)/.exec(l)?.[1] ?? [])),
];

describe('ECS-native deployment strategies', () => {
  it('BLUE_GREEN: succeeds, printing the stages and the traffic as it moves', async () => {
    await seeded('bg');
    const { main } = await deploy('bg', { 'deployment-strategy': 'BLUE_GREEN', 'bake-time-minutes': '1' });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(main.stdout).toContain('strategy BLUE_GREEN: bake 1 min');
    expect(stages(main)).toEqual(
      expect.arrayContaining(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']),
    );
    const order = ['SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'];
    const seen = stages(main).filter((s) => order.includes(s));
    expect(seen).toEqual(order.filter((s) => seen.includes(s)));
    expect(main.stdout).toMatch(
      /stage TEST_TRAFFIC_SHIFT, traffic: production 0% new \/ 100% old, test 100% new/,
    );
    expect(main.stdout).toMatch(/stage BAKE_TIME, traffic: production 100% new \/ 0% old, test 100% new/);
    // What UpdateService asked ECS for.
    const sd = environment.aws.state.serviceDeploymentsOf('bg')[0];
    expect(sd?.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    expect(environment.aws.state.service('bg')?.deployments?.map((d) => d.taskDefinition)).toEqual([
      main.outputs['task-definition-arn'],
    ]);
  }, 60_000);

  it('LINEAR: shifts production traffic step by step', async () => {
    await seeded('linear');
    const { main } = await deploy('linear', {
      'deployment-strategy': 'LINEAR',
      'linear-step-percent': '50',
      'linear-step-bake-minutes': '1',
      'bake-time-minutes': '0',
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.stdout).toContain('strategy LINEAR: 50% per step, 1 min between steps; bake 0 min');
    const production = stageLines(main).flatMap((l) => /production (\d+)% new/.exec(l)?.[1] ?? []);
    expect([...new Set(production)]).toEqual(['0', '50', '100']);
    expect(environment.aws.state.serviceDeploymentsOf('linear')[0]?.deploymentConfiguration).toMatchObject({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 },
    });
  }, 60_000);

  it('CANARY: moves the canary share, bakes, then the rest', async () => {
    await seeded('canary');
    const { main } = await deploy('canary', {
      'deployment-strategy': 'CANARY',
      'canary-percent': '10',
      'canary-bake-minutes': '1',
      'bake-time-minutes': '1',
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(main.stdout).toContain('strategy CANARY: 10% for 1 min, then the rest; bake 1 min');
    const production = stageLines(main).flatMap((l) => /production (\d+)% new/.exec(l)?.[1] ?? []);
    expect([...new Set(production)]).toEqual(['0', '10', '100']);
    expect(stages(main)).toEqual(expect.arrayContaining(['PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME']));
  }, 60_000);

  it('a bake that fails (an alarm goes off): ECS rolls back and the step says ROLLED_BACK with the alarm', async () => {
    const previous = await seeded('bake');
    await ecs.send(
      new UpdateServiceCommand({
        service: 'bake',
        deploymentConfiguration: { alarms: { alarmNames: ['bake-5xx'], enable: true, rollback: true } },
      }),
    );
    const running = deploy('bake', { 'deployment-strategy': 'BLUE_GREEN', 'bake-time-minutes': '5' });
    // The alarm goes off once the new revision has all the production traffic and is baking.
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const sd = environment.aws.state.serviceDeploymentsOf('bake')[0];
      if (sd?.lifecycleStage === 'BAKE_TIME' && sd.status === 'IN_PROGRESS') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    alarmsInAlarm(environment.aws.state.ecs).add('bake-5xx');
    let main: StepResult;
    try {
      ({ main } = await running);
    } finally {
      alarmsInAlarm(environment.aws.state.ecs).clear();
    }
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(main.outputs['rolled-back-to']).toBe(previous);
    expect(stages(main)).toContain('BAKE_TIME');
    expect(errorLines(main)).toEqual([
      expect.stringMatching(
        /^::error::Rollout ROLLED_BACK: .*alarms in ALARM: bake-5xx.*CloudWatch alarm\(s\) bake-5xx went into ALARM/,
      ),
    ]);
    expect(environment.aws.state.serviceDeploymentsOf('bake')[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(environment.aws.state.service('bake')?.deployments?.map((d) => d.taskDefinition)).toEqual([
      previous,
    ]);
  }, 60_000);

  it('refuses a bad strategy input before any write', async () => {
    const before = environment.aws.writes().length;
    const { main } = await deploy('bg', { 'deployment-strategy': 'CANARY', 'canary-percent': '0.05' });
    expect(errorLines(main)).toEqual([
      "::error::Input 'canary-percent' is '0.05': expected a percentage from 0.1 to 100 in steps of 0.1.",
    ]);
    expect(environment.aws.writes().length).toBe(before);
  }, 30_000);
});
