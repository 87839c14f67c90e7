import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeClock } from '../../poll/fake-clock.js';
import { judgeRollbackDeployment } from '../../../../src/deploy/codedeploy/evidence.js';
import { deployWithCodeDeploy } from '../../../../src/deploy/codedeploy/deployment.js';
import type { RollbackMode } from '../../../../src/deploy/rollback.js';

/**
 * The CodeDeploy watcher's own decisions: stop a deployment on ECS's evidence (evidence.ts's rule), ask for
 * a rollback or not, and report CodeDeploy's rollback deployment as ROLLED_BACK once it succeeded.
 */

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:8';
const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop:7';
const service: Service = {
  serviceName: 'shop',
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/shop',
  taskDefinition: OLD,
  status: 'ACTIVE',
  deploymentController: { type: 'CODE_DEPLOY' },
  loadBalancers: [{ targetGroupArn: 'arn:tg/blue', containerName: 'app', containerPort: 8080 }],
};

const cd = mockClient(CodeDeployClient);
const ecsMock = mockClient(ECSClient);
const client = new CodeDeployClient({ region: 'us-east-1' });
const ecs = new ECSClient({ region: 'us-east-1' });

const pullFailed: Task = {
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc123',
  taskDefinitionArn: TD,
  lastStatus: 'STOPPED',
  stopCode: 'TaskFailedToStart',
  stoppedAt: new Date(1_000),
  stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 7 time(s): not found',
  containers: [{ name: 'app', reason: 'CannotPullContainerError: pull image manifest: not found' }],
};

const scaledIn: Task = {
  ...pullFailed,
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/def456',
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
  containers: [{ name: 'app', exitCode: 143 }],
};

/** ECS shows `tasks` stopped from the `from`-th poll on (1-based). */
function ecsShows(tasks: Task[], from = 1): void {
  let polls = 0;
  ecsMock.on(DescribeServicesCommand).callsFake(() => {
    polls += 1;
    return { services: [service] };
  });
  ecsMock
    .on(ListTasksCommand)
    .callsFake(() => ({ taskArns: polls >= from ? tasks.map((t) => t.taskArn ?? '') : [] }));
  ecsMock.on(DescribeTasksCommand).resolves({ tasks });
}

/**
 * CodeDeploy: d-MAIN stays InProgress until stopped (or `fails` polls in, then fails on its own); its
 * rollback deployment d-BACK goes InProgress once, then `rollbackEnds`.
 */
function codeDeployShows(opts: {
  fails?: number;
  rollback?: boolean;
  rollbackEnds?: 'Succeeded' | 'Failed';
}) {
  let main: DeploymentInfo = { deploymentId: 'd-MAIN', status: 'InProgress' };
  let polls = 0;
  let backPolls = 0;
  const back = { rollbackInfo: { rollbackDeploymentId: 'd-BACK' } };
  cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-MAIN' });
  cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] });
  cd.on(GetDeploymentTargetCommand).resolves({});
  cd.on(StopDeploymentCommand).callsFake((input: { autoRollbackEnabled?: boolean }) => {
    main = { ...main, status: 'Stopped', ...(input.autoRollbackEnabled ? back : {}) };
    return { status: 'Succeeded' };
  });
  cd.on(GetDeploymentCommand).callsFake((input: { deploymentId: string }) => {
    if (input.deploymentId === 'd-BACK') {
      backPolls += 1;
      const status = backPolls > 1 ? (opts.rollbackEnds ?? 'Succeeded') : 'InProgress';
      return { deploymentInfo: { deploymentId: 'd-BACK', status } };
    }
    polls += 1;
    if (opts.fails !== undefined && polls >= opts.fails && main.status === 'InProgress') {
      main = {
        ...main,
        status: 'Failed',
        errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'The deployment timed out' },
        ...(opts.rollback ? back : {}),
      };
    }
    return { deploymentInfo: main };
  });
}

async function run(rollback: RollbackMode = 'auto', withEcs = true) {
  const lines: string[] = [];
  const result = await deployWithCodeDeploy({
    region: 'us-east-1',
    cluster: 'prod',
    service,
    taskDefinitionArn: TD,
    application: 'shop',
    deploymentGroup: 'shop-prod',
    pollSeconds: 2,
    timeoutMinutes: 5,
    log: (l) => lines.push(l.replace(/^\[\s*\d+s\] /, '')),
    client,
    ...(withEcs ? { ecs } : {}),
    rollback,
    clock: fakeClock(),
  });
  return { result, lines };
}

const stops = () => cd.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input);

beforeEach(() => {
  cd.reset();
  ecsMock.reset();
});

describe('a replacement task that cannot start', () => {
  it('stops the deployment with rollback at once, and reports ROLLED_BACK to the old revision when the rollback succeeds', async () => {
    ecsShows([pullFailed], 2);
    codeDeployShows({});
    const { result, lines } = await run();
    expect(stops()).toEqual([{ deploymentId: 'd-MAIN', autoRollbackEnabled: true }]);
    // Stopped on the poll that first saw the task, not later.
    expect(
      cd.commandCalls(GetDeploymentCommand).filter((c) => c.args[0].input.deploymentId === 'd-MAIN'),
    ).toHaveLength(3);
    expect(result).toMatchObject({
      state: 'ROLLED_BACK',
      success: false,
      rolledBackTo: OLD,
      deploymentId: 'd-MAIN',
      reason:
        "Task abc123 stopped: container 'app' could not pull its image: CannotPullContainerError: pull image manifest has been retried 7 time(s): not found. " +
        'ecs-ship stopped CodeDeploy deployment d-MAIN. CodeDeploy rolled the service back to shop:7 ' +
        '(rollback deployment d-BACK Succeeded)',
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^task abc123 stopped: CannotPullContainerError/),
        'stopping CodeDeploy deployment d-MAIN with rollback',
        'CodeDeploy deployment Stopped',
        "waiting for CodeDeploy's rollback deployment d-BACK",
      ]),
    );
  });

  it('rollback: false stops without a rollback: FAILED, nothing rolled back', async () => {
    ecsShows([pullFailed]);
    codeDeployShows({});
    const { result, lines } = await run('false');
    expect(stops()).toEqual([{ deploymentId: 'd-MAIN', autoRollbackEnabled: false }]);
    expect(result.state).toBe('FAILED');
    expect(result.rolledBackTo).toBeUndefined();
    expect(result.reason).toMatch(
      /could not pull its image.*\. ecs-ship stopped CodeDeploy deployment d-MAIN$/,
    );
    expect(lines).toContain('stopping CodeDeploy deployment d-MAIN without rollback (rollback: false)');
  });

  it('a deployment that ended before StopDeployment reached it: the verdict of the next poll stands', async () => {
    ecsShows([pullFailed]);
    codeDeployShows({ fails: 2 });
    cd.on(StopDeploymentCommand).rejects(
      new DeploymentAlreadyCompletedException({ message: 'already completed', $metadata: {} }),
    );
    const { result } = await run();
    expect(result.state).toBe('FAILED');
    expect(result.reason).toMatch(/could not pull its image.*ecs-ship stopped CodeDeploy deployment d-MAIN$/);
  });

  it('a StopDeployment that is refused is reported with the evidence', async () => {
    ecsShows([pullFailed]);
    codeDeployShows({});
    cd.on(StopDeploymentCommand).rejects(
      Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }),
    );
    const { result } = await run();
    expect(result.state).toBe('FAILED');
    expect(result.reason).toMatch(
      /could not pull its image.*\. StopDeployment of d-MAIN failed, so CodeDeploy goes on until its own timeout: AccessDeniedException/,
    );
  });

  it('tasks the scheduler stopped are no evidence: CodeDeploy decides', async () => {
    ecsShows([scaledIn]);
    codeDeployShows({ fails: 3 });
    const { result } = await run();
    expect(stops()).toEqual([]);
    expect(result).toMatchObject({
      state: 'FAILED',
      reason: 'CodeDeploy deployment d-MAIN Failed: ECS_UPDATE_ERROR: The deployment timed out',
    });
  });

  it('without read access to ECS tasks, says so once and goes on with CodeDeploy alone', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
    ecsMock
      .on(ListTasksCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    codeDeployShows({ fails: 3 });
    const { result, lines } = await run();
    expect(lines.filter((l) => l.startsWith('stopped tasks are not readable'))).toEqual([
      "stopped tasks are not readable (ecs:ListTasks: AccessDeniedException); waiting for CodeDeploy's own verdict",
    ]);
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1);
    expect(result.state).toBe('FAILED');
  });
});

describe('CodeDeploy failing on its own', () => {
  it("waits for its group's rollback deployment: ROLLED_BACK when it succeeded", async () => {
    codeDeployShows({ fails: 2, rollback: true });
    const { result } = await run('auto', false);
    expect(result).toMatchObject({
      state: 'ROLLED_BACK',
      rolledBackTo: OLD,
      reason:
        'CodeDeploy deployment d-MAIN Failed: ECS_UPDATE_ERROR: The deployment timed out; CodeDeploy rolled back in d-BACK. ' +
        'CodeDeploy rolled the service back to shop:7 (rollback deployment d-BACK Succeeded)',
    });
    expect(stops()).toEqual([]);
  });

  it('FAILED when the rollback deployment fails too', async () => {
    codeDeployShows({ fails: 2, rollback: true, rollbackEnds: 'Failed' });
    const { result } = await run('auto', false);
    expect(result.state).toBe('FAILED');
    expect(result.rolledBackTo).toBeUndefined();
    expect(result.reason).toMatch(/\. Rolling back failed too: rollback deployment d-BACK Failed$/);
  });

  it('FAILED, not waiting, when the group does not roll back', async () => {
    codeDeployShows({ fails: 2 });
    const { result } = await run('auto', false);
    expect(result.state).toBe('FAILED');
    expect(
      cd.commandCalls(GetDeploymentCommand).filter((c) => c.args[0].input.deploymentId === 'd-BACK'),
    ).toEqual([]);
  });
});

describe("the rollback deployment's verdict", () => {
  it.each<[DeploymentInfo | undefined, ReturnType<typeof judgeRollbackDeployment>]>([
    [undefined, { done: false }],
    [{ deploymentId: 'd-B', status: 'InProgress' }, { done: false }],
    [
      { deploymentId: 'd-B', status: 'Succeeded' },
      { done: true, success: true, reason: 'rollback deployment d-B Succeeded' },
    ],
    [
      { deploymentId: 'd-B', status: 'Failed', errorInformation: { message: 'no blue' } },
      { done: true, success: false, reason: 'rollback deployment d-B Failed: no blue' },
    ],
    [
      { deploymentId: 'd-B', status: 'Stopped' },
      { done: true, success: false, reason: 'rollback deployment d-B Stopped' },
    ],
  ])('%j', (info, verdict) => {
    expect(judgeRollbackDeployment(info)).toEqual(verdict);
  });
});
