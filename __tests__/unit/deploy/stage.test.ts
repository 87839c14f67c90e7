import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { RolloutTarget } from '../../../src/deploy/rollout/verdict.js';
import type { RolloutResult, WatchOptions } from '../../../src/deploy/rollout/watch.js';
import { outputsOf } from '../../../src/report/outputs.js';
import { recordingLog } from '../report/recording-log.js';
import { deployInputs, TD } from './fixtures.js';

// The edge the stage drives: the poller (its own tests cover it).
/** How each service's watch ends, by service name. */
let verdicts: Record<string, Pick<RolloutResult, 'state' | 'success' | 'reason'>> = {};
jest.unstable_mockModule('../../../src/deploy/rollout/watch.js', () => ({
  watchRollout: async (_ecs: unknown, target: RolloutTarget, opts: WatchOptions): Promise<RolloutResult> => {
    const v = verdicts[target.service] ?? { state: 'SUCCESSFUL', success: true, reason: 'ok' };
    opts.log(`${v.state}: ${v.reason}`);
    return {
      ...v,
      serviceDeploymentArn: undefined,
      deploymentId: `ecs-svc/${target.service}`,
      durationMs: 1000,
      timeline: [],
    };
  },
}));
const { deployStage, failureSummary, runTaskStage, worstState } =
  await import('../../../src/deploy/stage.js');

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc';

const inputs = deployInputs;

const revision = { arn: TD(7), containers: [{ name: 'app', essential: true }], runTaskContainer: 'app' };
const migrate = {
  command: ['migrate'],
  container: undefined,
  subnets: [],
  securityGroups: [],
  assignPublicIp: undefined,
};
let { log, lines, warnings } = recordingLog();

beforeEach(() => {
  ecsMock.reset();
  ({ log, lines, warnings } = recordingLog());
  verdicts = {};
  ecsMock.on(UpdateServiceCommand).resolves({});
  ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', launchType: 'FARGATE' }] });
  ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });
});

const updated = () => ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input);

describe('deployStage', () => {
  it('runs the one-off task first, and touches no service when it fails', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: TASK, lastStatus: 'STOPPED', containers: [{ name: 'app', exitCode: 3 }] }],
    });
    const deploy = inputs({ services: ['web', 'worker'], runTask: migrate });
    const runTask = await runTaskStage(ecs, deploy, revision, log);
    const outcome = await deployStage(ecs, deploy, revision, log, undefined, runTask);
    expect(updated()).toEqual([]);
    expect(outcome).toMatchObject({ state: 'NOT_STARTED', success: false, services: [], runTask });
    expect(outcome.failure).toBe(
      "One-off task abc failed: container 'app' exited with code 3. No service was updated.",
    );
    expect(runTask && outputsOf('runTask', runTask)).toEqual({
      'run-task-arn': TASK,
      'run-task-exit-code': '3',
    });
    expect(outputsOf('deploy', outcome)).toMatchObject({ 'rollout-state': 'NOT_STARTED' });
  });

  it('updates the services after a one-off task that exits 0', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: TASK, lastStatus: 'STOPPED', containers: [{ name: 'app', exitCode: 0 }] }],
    });
    const deploy = inputs({ runTask: migrate });
    const runTask = await runTaskStage(ecs, deploy, revision, log);
    const outcome = await deployStage(ecs, deploy, revision, log, undefined, runTask);
    expect(outcome).toMatchObject({ state: 'SUCCESSFUL', success: true, failure: undefined });
    expect(updated()).toHaveLength(1);
    expect(runTask && outputsOf('runTask', runTask)['run-task-exit-code']).toBe('0');
  });

  it('runs no one-off task unless asked', async () => {
    expect(await runTaskStage(ecs, inputs(), revision, log)).toBeUndefined();
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0);
  });

  it('updates every service with the same revision, count and force flag, and names each in its lines', async () => {
    verdicts = { worker: { state: 'ROLLED_BACK', success: false, reason: 'circuit breaker' } };
    const outcome = await deployStage(
      ecs,
      inputs({ services: ['web', 'worker'], desiredCount: 3, forceNewDeployment: true, keepRevisions: 2 }),
      revision,
      log,
    );
    expect(updated()).toEqual(
      ['web', 'worker'].map((service) => ({
        cluster: 'prod',
        service,
        taskDefinition: TD(7),
        desiredCount: 3,
        forceNewDeployment: true,
      })),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        '[web] SUCCESSFUL: ok',
        '[worker] ROLLED_BACK: circuit breaker',
        expect.stringMatching(
          /^\[worker\] Updated service worker in cluster prod, desired count 3, forced new deployment/,
        ),
      ]),
    );
    expect(outcome.failure).toBe('Rollout failed on 1 of 2 services: worker ROLLED_BACK: circuit breaker');
    const outputs = outputsOf('deploy', outcome);
    expect(outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(JSON.parse(outputs.rollouts ?? '')).toEqual([
      {
        service: 'web',
        state: 'SUCCESSFUL',
        reason: 'ok',
        deploymentId: 'ecs-svc/web',
        serviceDeploymentArn: null,
        durationMs: 1000,
      },
      {
        service: 'worker',
        state: 'ROLLED_BACK',
        reason: 'circuit breaker',
        deploymentId: 'ecs-svc/worker',
        serviceDeploymentArn: null,
        durationMs: 1000,
      },
    ]);
    // A failed deploy cleans nothing up.
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(0);
  });

  it('leaves desired count and force out of UpdateService unless asked, and does not prefix one service', async () => {
    await deployStage(ecs, inputs(), revision, log);
    expect(updated()).toEqual([{ cluster: 'prod', service: 'web', taskDefinition: TD(7) }]);
    expect(lines).toContain('SUCCESSFUL: ok');
  });

  it('a service whose UpdateService fails is FAILED; the others still roll out', async () => {
    ecsMock
      .on(UpdateServiceCommand, { service: 'worker' })
      .rejects(
        Object.assign(new Error('no such service'), { name: 'ServiceNotFoundException', $metadata: {} }),
      );
    const outcome = await deployStage(ecs, inputs({ services: ['web', 'worker'] }), revision, log);
    expect(outcome.services.map((s) => [s.service, s.state])).toEqual([
      ['web', 'SUCCESSFUL'],
      ['worker', 'FAILED'],
    ]);
    expect(outcome.failure).toMatch(
      /^Rollout failed on 1 of 2 services: worker FAILED: Cannot update service 'worker'/,
    );
  });

  it('cleans up revisions after success, and a cleanup problem only warns', async () => {
    ecsMock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [TD(7), TD(6), TD(5)] });
    ecsMock.on(ListServicesCommand).resolves({ serviceArns: ['web'] });
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'web', taskDefinition: TD(7) }] });
    ecsMock.on(DeregisterTaskDefinitionCommand, { taskDefinition: TD(5) }).rejects(new Error('boom'));
    const outcome = await deployStage(ecs, inputs({ keepRevisions: 1 }), revision, log);
    expect(outcome.success).toBe(true);
    expect(outcome.cleanup?.deregistered).toEqual([TD(6)]);
    expect(outputsOf('deploy', outcome)['deregistered-task-definitions']).toBe(TD(6));
    expect(warnings).toEqual(['Could not deregister web:5: Error: boom']);
  });

  it('does not clean up after a rollout it did not watch', async () => {
    const outcome = await deployStage(ecs, inputs({ wait: false, keepRevisions: 1 }), revision, log);
    expect(outcome).toMatchObject({ state: 'NOT_WAITED', success: true, cleanup: undefined });
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(0);
  });
});

describe('worstState', () => {
  it.each([
    [['SUCCESSFUL', 'SUCCESSFUL'], 'SUCCESSFUL'],
    [['SUCCESSFUL', 'TIMED_OUT', 'ROLLED_BACK'], 'ROLLED_BACK'],
    [['ROLLED_BACK', 'FAILED'], 'FAILED'],
    [['NOT_WAITED', 'FAILED'], 'FAILED'],
    [['NOT_WAITED'], 'NOT_WAITED'],
  ] as const)('%j → %s', (states, worst) => expect(worstState([...states])).toBe(worst));
});

describe('failureSummary', () => {
  const s = (service: string, state: 'SUCCESSFUL' | 'FAILED', reason: string) => ({
    service,
    state,
    success: state === 'SUCCESSFUL',
    reason,
    deploymentId: undefined,
    rollout: undefined,
  });
  it('keeps the one-service line as it always was', () => {
    expect(failureSummary([s('web', 'FAILED', 'boom')])).toBe('Rollout FAILED: boom');
  });
  it('names each failed service of several', () => {
    expect(failureSummary([s('a', 'FAILED', 'x'), s('b', 'SUCCESSFUL', 'ok'), s('c', 'FAILED', 'y')])).toBe(
      'Rollout failed on 2 of 3 services: a FAILED: x; c FAILED: y',
    );
  });
  it('is undefined when all succeeded', () => {
    expect(failureSummary([s('a', 'SUCCESSFUL', 'ok')])).toBeUndefined();
  });
});
