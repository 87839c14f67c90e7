import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  RunTaskCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../../src/errors.js';
import type { RunTaskInputs } from '../../../src/inputs/deploy.js';
import {
  runOneOffTask,
  runTaskRequest,
  taskOutcome,
  type ContainerInfo,
} from '../../../src/deploy/run-task.js';
import { runTaskInputs as spec, TD } from './fixtures.js';
import { fakeClock, type FakeClock } from '../poll/fake-clock.js';

const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123abcd';
const APP_AND_SIDECAR: ContainerInfo[] = [
  { name: 'app', essential: true },
  { name: 'log-router', essential: false },
];

function stopped(containers: Task['containers'], over: Partial<Task> = {}): Task {
  return {
    taskArn: TASK,
    lastStatus: 'STOPPED',
    stoppedReason: 'Essential container in task exited',
    containers,
    ...over,
  };
}

describe('runTaskRequest', () => {
  const fargate: Service = {
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-svc'], assignPublicIp: 'DISABLED' },
    },
  };

  it.each<[string, Service | undefined, Partial<RunTaskInputs>, object]>([
    [
      "the service's launch type and network, no override",
      fargate,
      {},
      {
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        networkConfiguration: fargate.networkConfiguration,
        overrides: undefined,
      },
    ],
    [
      'inputs override the network piece by piece',
      fargate,
      { subnets: ['subnet-b', 'subnet-c'], assignPublicIp: 'ENABLED' },
      {
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-b', 'subnet-c'],
            securityGroups: ['sg-svc'],
            assignPublicIp: 'ENABLED',
          },
        },
      },
    ],
    [
      'a capacity provider strategy instead of a launch type',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
      {},
      { launchType: undefined, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
    ],
    [
      'no network anywhere: none sent',
      { launchType: 'EC2' },
      {},
      { launchType: 'EC2', networkConfiguration: undefined },
    ],
  ])('%s', (_n, service, over, expected) => {
    const request = runTaskRequest({
      cluster: 'prod',
      taskDefinitionArn: TD(7),
      service,
      runTask: spec(over),
      container: undefined,
    });
    // toEqual: whatever a row leaves out (or sets undefined) must be absent from the call.
    expect(request).toEqual({
      cluster: 'prod',
      taskDefinition: TD(7),
      count: 1,
      startedBy: 'ecs-ship',
      ...expected,
    });
  });

  it('sends the command override to the chosen container only', () => {
    const request = runTaskRequest({
      cluster: 'prod',
      taskDefinitionArn: TD(7),
      service: fargate,
      runTask: spec({ command: ['npm', 'run', 'migrate'] }),
      container: 'app',
    });
    expect(request.overrides).toEqual({
      containerOverrides: [{ name: 'app', command: ['npm', 'run', 'migrate'] }],
    });
  });
});

describe('taskOutcome', () => {
  it.each<[string, Task, boolean, string]>([
    [
      'all essential containers exit 0 (a sidecar killed with 143 does not count)',
      stopped([
        { name: 'app', exitCode: 0 },
        { name: 'log-router', exitCode: 143 },
      ]),
      true,
      'One-off task 0123abcd succeeded: app exited 0',
    ],
    [
      'an essential container exits 3',
      stopped([
        { name: 'app', exitCode: 3 },
        { name: 'log-router', exitCode: 0 },
      ]),
      false,
      "One-off task 0123abcd failed: container 'app' exited with code 3; ECS: Essential container in task exited",
    ],
    [
      'the image could not be pulled',
      stopped([{ name: 'app', reason: 'CannotPullContainerError: not found' }], {
        stoppedReason: 'CannotPullContainerError: not found',
      }),
      false,
      "One-off task 0123abcd failed: container 'app' did not run (CannotPullContainerError: not found); ECS: CannotPullContainerError: not found",
    ],
    [
      'no containers reported',
      stopped([], { stoppedReason: undefined }),
      false,
      'One-off task 0123abcd failed: no containers reported',
    ],
  ])('%s', (_n, task, success, reason) => {
    expect(taskOutcome(task, APP_AND_SIDECAR)).toMatchObject({ success, reason });
  });
});

describe('runOneOffTask', () => {
  const ecsMock = mockClient(ECSClient);
  const ecs = new ECSClient({ region: 'us-east-1' });
  let clock: FakeClock;
  let lines: string[] = [];
  const opts = (timeoutMinutes = 30) => ({
    pollSeconds: 5,
    timeoutMinutes,
    log: (line: string) => lines.push(line),
    clock,
  });
  const args = {
    cluster: 'prod',
    service: 'web',
    taskDefinitionArn: TD(7),
    runTask: spec({ command: ['sh', '-c', 'exit 3'] }),
    container: 'app',
    containers: APP_AND_SIDECAR,
  };

  beforeEach(() => {
    ecsMock.reset();
    clock = fakeClock();
    lines = [];
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'web', launchType: 'FARGATE' }] });
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PROVISIONING' }] });
  });

  it('polls until STOPPED, prints each status change once, and judges the exit codes', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [{ taskArn: TASK, lastStatus: 'PROVISIONING' }] })
      .resolvesOnce({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] })
      .resolvesOnce({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] })
      .resolves({
        tasks: [
          stopped([
            { name: 'app', exitCode: 3 },
            { name: 'log-router', exitCode: 143 },
          ]),
        ],
      });

    const result = await runOneOffTask(ecs, args, opts());

    expect(result).toMatchObject({ taskArn: TASK, success: false, durationMs: 15_000 });
    expect(lines).toEqual([
      'Running a one-off task of web:7 in cluster prod (launch type FARGATE) with command ["sh","-c","exit 3"] in app',
      'one-off task 0123abcd started',
      'one-off task 0123abcd: PROVISIONING',
      'one-off task 0123abcd: RUNNING',
      'one-off task 0123abcd: STOPPED',
      '  app: exit code 3',
      '  log-router (not essential): exit code 143',
      "One-off task 0123abcd failed: container 'app' exited with code 3; ECS: Essential container in task exited",
    ]);
    expect(result.timeline.map((t) => t.text)).toEqual(lines);
    expect(ecsMock.commandCalls(RunTaskCommand)[0]?.args[0].input).toMatchObject({
      launchType: 'FARGATE',
      overrides: { containerOverrides: [{ name: 'app', command: ['sh', '-c', 'exit 3'] }] },
    });
  });

  it('gives up at the timeout without stopping the task, and says so', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] });
    const result = await runOneOffTask(ecs, args, opts(1));
    expect(result.success).toBe(false);
    expect(result.reason).toBe(
      'Timed out after 1 min waiting for one-off task 0123abcd (last status RUNNING); it was not stopped and may still be running',
    );
    expect(clock.now()).toBe(60_000);
    // While it runs unchanged, a heartbeat every 30 s instead of silence.
    expect(lines.filter((l) => l.startsWith('still waiting'))).toEqual([
      'still waiting for one-off task 0123abcd: RUNNING; 30s of 1m',
    ]);
  });

  it('keeps polling through throttling', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: {},
    });
    ecsMock
      .on(DescribeTasksCommand)
      .rejectsOnce(throttled)
      .resolves({ tasks: [stopped([{ name: 'app', exitCode: 0 }])] });
    await expect(runOneOffTask(ecs, args, opts())).resolves.toMatchObject({ success: true });
  });

  it.each([
    [
      'a network the task definition needs',
      new InvalidParameterException({
        message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        $metadata: {},
      }),
      /^ECS refused running a one-off task of web:7: InvalidParameterException: Network Configuration .* \(set 'run-task-subnets', or give the service a network configuration\)$/,
    ],
    [
      'AccessDenied',
      new AccessDeniedException({ message: 'not authorized to perform ecs:RunTask', $metadata: {} }),
      /^Access denied running a one-off task of web:7: allow ecs:RunTask \(and iam:PassRole\)/,
    ],
  ])('turns a RunTask refusal (%s) into one line', async (_n, err, message) => {
    ecsMock.on(RunTaskCommand).rejects(err);
    const thrown = await runOneOffTask(ecs, args, opts()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toMatch(message);
  });

  it("reports ECS's failure when RunTask starts nothing", async () => {
    ecsMock
      .on(RunTaskCommand)
      .resolves({ tasks: [], failures: [{ reason: 'RESOURCE:MEMORY', detail: 'no room' }] });
    await expect(runOneOffTask(ecs, args, opts())).rejects.toThrow(
      'ECS did not start the one-off task of web:7: RESOURCE:MEMORY: no room',
    );
  });
});
