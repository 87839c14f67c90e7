import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { INSTALL_TIMEOUT_MESSAGE } from '../../sandbox/codedeploy-rollout.js';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, lastCallAt, runAction, type StepResult } from '../../sandbox/runner.js';
import { createRepositories, sandboxEcs, taskDefinitionFile, waitSteady } from '../../sandbox/seed.js';
import { SANDBOX_USER } from '../../sandbox/iam.js';

/**
 * A service with the CODE_DEPLOY deployment controller, deployed by the bundled action run as the runner
 * runs it, against the sandbox's CodeDeploy (AWS_ENDPOINT_URL_CODEDEPLOY from startEnvironment): the step
 * creates a CodeDeploy deployment instead of calling UpdateService and follows it to CodeDeploy's verdict.
 * Images outside the sandbox's registry count as pullable, so nothing is pushed and no docker is needed.
 */

let environment: Environment;
let ecs: ECSClient;
let codeDeploy: CodeDeployClient;

beforeAll(async () => {
  environment = await startEnvironment({
    timeScale: 60,
    docker: false,
    // Green takes 30 sandbox seconds to turn healthy (half a real second): Install stays InProgress for
    // several of the step's 0.1 s polls, so the log shows it even when a busy machine delays a poll.
    durations: { healthyAfter: 30 },
  });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(environment.env, 'cart', 'shop');
  ecs = sandboxEcs(environment.env);
  codeDeploy = new CodeDeployClient({
    region: 'us-east-1',
    endpoint: environment.env.AWS_ENDPOINT_URL_CODEDEPLOY ?? '',
    credentials: SANDBOX_USER,
  });
  await codeDeploy.send(new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'ECS' }));
}, 60_000);

afterAll(async () => {
  codeDeploy?.destroy();
  await environment?.stop();
});

const FIRST = 'public.ecr.aws/nginx/nginx:1.26';

/** A steady CODE_DEPLOY service (container `app` on port 8080 behind a load balancer) and its deployment group. */
async function seedCodeDeployService(name: string, autoRollback: boolean): Promise<string> {
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image: FIRST, essential: true, portMappings: [{ containerPort: 8080 }] },
      ],
    }),
  );
  const first = registered.taskDefinition?.taskDefinitionArn ?? '';
  await ecs.send(
    new CreateServiceCommand({
      serviceName: name,
      taskDefinition: first,
      desiredCount: 2,
      launchType: 'FARGATE',
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [{ targetGroupArn: `arn:tg/${name}-blue`, containerName: 'app', containerPort: 8080 }],
    }),
  );
  await waitSteady(ecs, name);
  await codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'shop',
      deploymentGroupName: `${name}-group`,
      serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      ecsServices: [{ clusterName: 'default', serviceName: name }],
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      loadBalancerInfo: {
        targetGroupPairInfoList: [{ targetGroups: [{ name: `${name}-blue` }, { name: `${name}-green` }] }],
      },
      // One minute of both task sets after the shift: one real second at time scale 60.
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 1 },
      },
      autoRollbackConfiguration: {
        enabled: autoRollback,
        events: autoRollback ? ['DEPLOYMENT_FAILURE'] : [],
      },
    }),
  );
  return first;
}

function deploy(name: string, inputs: Record<string, string>): Promise<{ main: StepResult }> {
  return runAction({
    inputs: {
      service: name,
      'codedeploy-application': 'shop',
      'codedeploy-deployment-group': `${name}-group`,
      'poll-seconds': '0.1',
      ...inputs,
    },
    env: environment.env,
    post: false,
  });
}

/** The step's log lines without the elapsed-time prefix. */
const lines = (main: StepResult) => main.stdout.split('\n').map((l) => l.replace(/^\[\s*\d+s\] /, ''));

const calls = (operation: string) => environment.aws.requests.filter((r) => r.operation === operation);

// As __tests__/e2e/failures.test.ts measures (on the step's own calls): one poll, plus the calls of that poll.
const POLL = 0.5;
const WITHIN = POLL + 0.6;
const POLLED = { 'poll-seconds': String(POLL) };
// Waiting for CodeDeploy's rollback deployment: blue still runs, so it is back within a few polls.
const ROLLBACK = 3 * POLL;

/** A task definition file: container `app` on port 8080 (the load balancer's), plus `others`. */
function appTaskDefinition(
  family: string,
  others: Array<Record<string, unknown>>,
  app: Record<string, unknown> = {},
): Promise<string> {
  const appContainer = {
    name: 'app',
    image: 'placeholder',
    essential: true,
    portMappings: [{ containerPort: 8080 }],
  };
  return taskDefinitionFile(family, { containerDefinitions: [{ ...appContainer, ...app }, ...others] });
}

/** When the sandbox first stopped a task of the new revision. */
function firstStop(service: string, taskDefinitionArn: string | undefined): number {
  const stops = environment.aws.state
    .tasksOf(service)
    .filter((t) => t.taskDefinitionArn === taskDefinitionArn && t.stoppedAt)
    .map((t) => (t.stoppedAt as Date).getTime());
  return Math.min(...stops);
}

const secondsBetween = (from: number, to: number) => (to - from) / 1000;

/** Until no task of the (failing) new revision is alive; each exits on its own within a few sandbox seconds. */
async function untilGreenExited(service: string, revision: string | undefined): Promise<void> {
  const alive = () =>
    environment.aws.state
      .tasksOf(service)
      .filter((t) => t.taskDefinitionArn === revision && t.desiredStatus === 'RUNNING');
  for (let waited = 0; alive().length > 0 && waited < 10_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

function codeDeployDeployment(group: string, creator: 'user' | 'codeDeployRollback') {
  return [...environment.aws.state.codeDeploy.deployments.values()].find(
    (d) => d.group.name === group && d.creator === creator,
  );
}

describe('a CODE_DEPLOY service', () => {
  it('is deployed through CodeDeploy: lifecycle events and traffic in the log, the service on the new revision', async () => {
    await seedCodeDeployService('cart', false);
    const { main } = await deploy('cart', { containers: 'app=public.ecr.aws/nginx/nginx:1.27' });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const revision = main.outputs['task-definition-arn'] ?? '';
    expect(revision).toMatch(/task-definition\/cart:2$/);

    // No UpdateService at all; one CreateDeployment whose AppSpec names the registered revision.
    expect(calls('UpdateService')).toHaveLength(0);
    expect(calls('CreateDeployment')).toHaveLength(1);
    const deployment = [...environment.aws.state.codeDeploy.deployments.values()].find(
      (d) => d.group.name === 'cart-group',
    );
    expect(JSON.parse(deployment?.appSpec ?? '{}')).toMatchObject({
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: revision,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    expect(main.outputs['deployment-id']).toBe(deployment?.id);

    const log = lines(main);
    expect(log).toContain(
      `CodeDeploy deployment ${deployment?.id} of cart:2 created (application shop, group cart-group); polling every 0.1s, timeout 30 min`,
    );
    // The events as they move, in CodeDeploy's order, and the traffic from blue to green. A poll sees what
    // is there when it asks, so a short step may pass between two polls unseen: every event's end is
    // printed, in order, and whatever else was seen comes in CodeDeploy's order too.
    const order = [
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'AllowTestTraffic',
      'AfterAllowTestTraffic',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic',
    ];
    const events = log.filter((l) => l.startsWith('lifecycle event '));
    expect(events.filter((l) => l.endsWith(' Succeeded'))).toEqual(
      order.map((e) => `lifecycle event ${e} Succeeded`),
    );
    expect(events.filter((l) => !/ (InProgress|Succeeded)$/.test(l))).toEqual([]);
    const rank = (l: string) => {
      const [, name = '', status = ''] = /^lifecycle event (\w+) (\w+)$/.exec(l) ?? [];
      return order.indexOf(name) * 2 + (status === 'Succeeded' ? 1 : 0);
    };
    expect(events.map(rank)).toEqual([...events.map(rank)].sort((a, b) => a - b));
    const traffic = log.filter((l) => l.startsWith('traffic: '));
    expect(traffic.at(-1)).toBe('traffic: Blue 0%, Green 100%');
    expect(traffic).toEqual(
      ['traffic: Blue 100%, Green 0%', 'traffic: Blue 0%, Green 100%'].slice(2 - traffic.length),
    );
    const statuses = log.filter((l) => /^CodeDeploy deployment \w+$/.test(l));
    const statusOrder = ['Created', 'InProgress', 'Baking', 'Succeeded'].map(
      (x) => `CodeDeploy deployment ${x}`,
    );
    expect(statuses).toEqual(statusOrder.filter((x) => statuses.includes(x)));
    expect(statuses.at(-1)).toBe('CodeDeploy deployment Succeeded');

    const service = environment.aws.state.service('cart');
    expect(service?.taskDefinition).toBe(revision);
    expect(service?.deployments?.map((d) => d.taskDefinition)).toEqual([revision]);
    const alive = environment.aws.state.tasksOf('cart').filter((t) => t.desiredStatus === 'RUNNING');
    expect(alive.map((t) => t.taskDefinitionArn)).toEqual([revision, revision]);
  }, 60_000);

  it('stops at the first task that cannot pull its image, and reports the rollback CodeDeploy made', async () => {
    const first = await seedCodeDeployService('till', false);
    const file = await appTaskDefinition('till', [
      // The real pull check: this image was never pushed to the sandbox's registry.
      { name: 'agent', image: `${environment.registry.host}/never-pushed:v1`, essential: true },
    ]);
    const before = calls('StopDeployment').length;
    const { main } = await deploy('till', { 'task-definition': file, containers: `app=${FIRST}`, ...POLLED });
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(main.outputs['rolled-back-to']).toBe(first);
    const [error] = errorLines(main);
    expect(error).toMatch(
      /^::error::Rollout ROLLED_BACK: Task \w+ stopped: container 'agent' could not pull its image: CannotPullContainerError: .*never-pushed:v1/,
    );
    expect(error).toMatch(
      /ecs-ship stopped CodeDeploy deployment d-[A-Z0-9]{9}.*CodeDeploy rolled the service back to till:1 \(rollback deployment d-[A-Z0-9]{9} Succeeded\)/,
    );
    expect(lines(main)).toContain(
      `stopping CodeDeploy deployment ${main.outputs['deployment-id']} with rollback`,
    );

    // Decided within one poll of the first stopped task, not at CodeDeploy's install timeout.
    const revision = main.outputs['task-definition-arn'];
    const stop = calls('StopDeployment').slice(before);
    expect(stop).toHaveLength(1);
    expect(
      secondsBetween(firstStop('till', revision), stop[0]?.at.getTime() ?? Infinity),
    ).toBeLessThanOrEqual(WITHIN);
    const lastCall = lastCallAt(main, environment.aws.requests);
    expect(secondsBetween(firstStop('till', revision), lastCall)).toBeLessThanOrEqual(WITHIN + ROLLBACK);
    const deployment = codeDeployDeployment('till-group', 'user');
    expect(deployment?.status).toBe('Stopped');
    expect(codeDeployDeployment('till-group', 'codeDeployRollback')?.status).toBe('Succeeded');

    // Back on the revision it ran before, by CodeDeploy's rollback; no UpdateService from the step.
    expect(environment.aws.state.service('till')?.taskDefinition).toBe(first);
    await waitSteady(ecs, 'till');
    const alive = environment.aws.state.tasksOf('till').filter((t) => t.desiredStatus === 'RUNNING');
    expect(alive.map((t) => t.taskDefinitionArn)).toEqual([first, first]);
    expect(calls('UpdateService')).toHaveLength(0);
  }, 60_000);

  it('rollback: false stops the deployment without a rollback: FAILED, the old task set keeps serving', async () => {
    const first = await seedCodeDeployService('drawer', false);
    const file = await appTaskDefinition('drawer', [
      {
        name: 'agent',
        image: 'public.ecr.aws/docker/library/busybox:1',
        essential: true,
        command: ['sh', '-c', 'exit 1'],
      },
    ]);
    const { main } = await deploy('drawer', {
      'task-definition': file,
      containers: `app=${FIRST}`,
      rollback: 'false',
      ...POLLED,
    });
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('FAILED');
    expect(main.outputs['rolled-back-to']).toBe('');
    expect(errorLines(main)[0]).toMatch(
      /^::error::Rollout FAILED: Task \w+ stopped: essential container 'agent' exited with code 1.*ecs-ship stopped CodeDeploy deployment d-[A-Z0-9]{9}$/,
    );
    expect(lines(main)).toContain(
      `stopping CodeDeploy deployment ${main.outputs['deployment-id']} without rollback (rollback: false)`,
    );
    const deployment = codeDeployDeployment('drawer-group', 'user');
    expect(deployment?.status).toBe('Stopped');
    expect(deployment?.rollbackInfo).toBeUndefined();
    expect(codeDeployDeployment('drawer-group', 'codeDeployRollback')).toBeUndefined();

    // Blue never stopped; green starts nothing after the stop. Green tasks started just before it run on
    // until their container exits (as on AWS), so "only blue is left" holds once those have exited.
    const revision = main.outputs['task-definition-arn'];
    const stoppedAt = calls('StopDeployment').at(-1)?.at.getTime() ?? 0;
    const tasks = () => environment.aws.state.tasksOf('drawer');
    expect(tasks().filter((t) => t.taskDefinitionArn === first && t.stoppedAt)).toEqual([]);
    expect(
      tasks().filter((t) => t.taskDefinitionArn === revision && (t.createdAt?.getTime() ?? 0) > stoppedAt),
    ).toEqual([]);
    await untilGreenExited('drawer', revision);
    const alive = tasks().filter((t) => t.desiredStatus === 'RUNNING');
    expect(alive.map((t) => t.taskDefinitionArn)).toEqual([first, first]);
  }, 60_000);

  it("with no stopped task to go on (never healthy), waits for CodeDeploy's install timeout and its group's rollback", async () => {
    const first = await seedCodeDeployService('safe', true);
    // Still in its start period when CodeDeploy gives up: never healthy, never stopped.
    const file = await appTaskDefinition('safe', [], {
      healthCheck: { command: ['CMD-SHELL', 'exit 1'], startPeriod: 300, interval: 30, retries: 3 },
    });
    // AWS waits 60 minutes for a healthy replacement; a minute is one real second here.
    environment.aws.state.codeDeploy.installTimeoutSeconds = 60;
    const stops = calls('StopDeployment').length;
    let main: StepResult;
    try {
      ({ main } = await deploy('safe', { 'task-definition': file, containers: `app=${FIRST}` }));
    } finally {
      environment.aws.state.codeDeploy.installTimeoutSeconds = 3600;
    }
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(main.outputs['rolled-back-to']).toBe(first);
    const [error] = errorLines(main);
    expect(error).toContain(`Failed: ECS_UPDATE_ERROR: ${INSTALL_TIMEOUT_MESSAGE}`);
    expect(error).toMatch(
      /CodeDeploy rolled the service back to safe:1 \(rollback deployment d-[A-Z0-9]{9} Succeeded\)/,
    );
    expect(lines(main)).toContain(`lifecycle event Install Failed: ${INSTALL_TIMEOUT_MESSAGE}`);
    expect(lines(main).filter((l) => l.startsWith('traffic: '))).toEqual(['traffic: Blue 100%, Green 0%']);
    expect(calls('StopDeployment')).toHaveLength(stops);

    expect(environment.aws.state.service('safe')?.taskDefinition).toBe(first);
    await waitSteady(ecs, 'safe');
    const alive = environment.aws.state.tasksOf('safe').filter((t) => t.desiredStatus === 'RUNNING');
    expect(alive.map((t) => t.taskDefinitionArn)).toEqual([first, first]);
    expect(calls('UpdateService')).toHaveLength(0);
  }, 60_000);
});
