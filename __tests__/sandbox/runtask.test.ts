import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { programOf } from '../../sandbox/ecs/runtask.js';
import { startRegistry, type RegistryProcess } from '../../sandbox/registry.js';
import { startAwsSandbox, type AwsSandbox } from '../../sandbox/server.js';
import { closeAndCheck } from '../../sandbox/model-check.js';
import { eventually, pushTinyImage, sandboxClientConfig } from './helpers.js';

let registry: RegistryProcess;
let sandbox: AwsSandbox;
let ecs: ECSClient;

beforeAll(async () => {
  registry = await startRegistry();
  sandbox = await startAwsSandbox({ registry, timeScale: 20 });
  ecs = new ECSClient(sandboxClientConfig(sandbox.endpoint));
});

afterAll(async () => {
  ecs?.destroy();
  await closeAndCheck(sandbox);
  await registry?.stop();
});

describe('programOf: what a sandbox container does with its command', () => {
  it.each<[string[], { exitCode: number; runSeconds: number }]>([
    [[], { exitCode: 0, runSeconds: 1 }],
    [['sh', '-c', 'exit 3'], { exitCode: 3, runSeconds: 1 }],
    [['sh', '-c', 'sleep 4 && exit 1'], { exitCode: 1, runSeconds: 4 }],
    [['npm', 'run', 'migrate'], { exitCode: 0, runSeconds: 1 }],
  ])('%j', (command, program) => expect(programOf(command)).toEqual(program));
});

async function stoppedTask(taskArn: string): Promise<Task> {
  return eventually(async () => {
    const out = await ecs.send(new DescribeTasksCommand({ cluster: 'default', tasks: [taskArn] }));
    const task = out.tasks?.[0];
    return task?.lastStatus === 'STOPPED' ? task : undefined;
  });
}

describe('RunTask / StopTask', () => {
  let arn = '';
  beforeAll(async () => {
    const image = `${registry.host}/jobs@${await pushTinyImage(registry, 'jobs', 'v1')}`;
    const out = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'jobs',
        containerDefinitions: [
          { name: 'job', image, essential: true, command: ['sh', '-c', 'exit 0'] },
          { name: 'sidecar', image, essential: false, command: ['sleep', '60'] },
        ],
      }),
    );
    arn = out.taskDefinition?.taskDefinitionArn ?? '';
  });

  it("runs the task definition's command and stops when the essential container exits", async () => {
    const run = await ecs.send(new RunTaskCommand({ taskDefinition: arn, startedBy: 'test' }));
    const task = await stoppedTask(run.tasks?.[0]?.taskArn ?? '');
    expect(task).toMatchObject({ stopCode: 'EssentialContainerExited', startedBy: 'test' });
    expect(task.containers?.map((c) => [c.name, c.exitCode, c.imageDigest !== undefined])).toEqual([
      ['job', 0, true],
      ['sidecar', 143, true],
    ]);
  });

  it('takes the exit code from a command override', async () => {
    const run = await ecs.send(
      new RunTaskCommand({
        taskDefinition: arn,
        overrides: { containerOverrides: [{ name: 'job', command: ['sh', '-c', 'exit 7'] }] },
      }),
    );
    const task = await stoppedTask(run.tasks?.[0]?.taskArn ?? '');
    expect(task.containers?.find((c) => c.name === 'job')?.exitCode).toBe(7);
  });

  it('stops a running task on StopTask, with its reason', async () => {
    const run = await ecs.send(
      new RunTaskCommand({
        taskDefinition: arn,
        overrides: { containerOverrides: [{ name: 'job', command: ['sleep', '600'] }] },
      }),
    );
    const taskArn = run.tasks?.[0]?.taskArn ?? '';
    await ecs.send(new StopTaskCommand({ task: taskArn, reason: 'enough' }));
    const task = await stoppedTask(taskArn);
    expect(task).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'enough' });
  });

  it.each([
    [
      'an override for a container it does not have',
      { overrides: { containerOverrides: [{ name: 'nope' }] } },
    ],
    ['awsvpc without a network configuration', { launchType: 'FARGATE' as const }],
  ])('refuses %s as ECS does', async (_n, extra) => {
    const fargate = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'jobs-vpc',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'job', image: 'public.ecr.aws/x/y:1' }],
      }),
    );
    const network = 'overrides' in extra ? { awsvpcConfiguration: { subnets: ['subnet-1'] } } : undefined;
    await expect(
      ecs.send(
        new RunTaskCommand({
          taskDefinition: fargate.taskDefinition?.taskDefinitionArn,
          ...(network ? { networkConfiguration: network } : {}),
          ...extra,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
