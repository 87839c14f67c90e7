import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  ServiceNotFoundException,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { watchRollout, type WatchOptions } from '../../../../src/deploy/rollout/watch.js';
import { at, dep, PULL_REASON, sd, STARTED, stoppedTask, svc, target, TD } from '../fixtures.js';
import { fakeClock, type FakeClock } from '../../poll/fake-clock.js';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });

const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';
const REV_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/7777';
const OLD_REV_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/6666';

let clock: FakeClock;
let lines: string[] = [];

function options(over: Partial<WatchOptions> = {}): WatchOptions {
  return {
    pollSeconds: 5,
    timeoutMinutes: 30,
    log: (line) => lines.push(line),
    clock,
    ...over,
  };
}

function awsError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

const inProgress: Service = svc([dep(7, { runningCount: 1, pendingCount: 1 }), dep(6, { runningCount: 2 })], {
  events: [
    { id: 'e0', createdAt: at(-600), message: '(service web) has reached a steady state.' },
    { id: 'e2', createdAt: at(3), message: '(service web) has started 2 tasks: (task a) (task b).' },
  ],
});
const draining: Service = svc([dep(7, { runningCount: 2 }), dep(6, { runningCount: 1 })], {
  events: [
    { id: 'e3', createdAt: at(9), message: '(service web) has stopped 1 running tasks: (task old1).' },
    ...(inProgress.events ?? []),
  ],
});
const done: Service = svc([dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })], {
  events: [
    { id: 'e4', createdAt: at(14), message: '(service web) has reached a steady state.' },
    ...(draining.events ?? []),
  ],
});

function withServiceDeployments(): void {
  ecsMock.on(ListServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      { serviceDeploymentArn: 'arn:old', createdAt: at(-3000), targetServiceRevisionArn: OLD_REV_ARN },
      { serviceDeploymentArn: SD_ARN, createdAt: at(1), targetServiceRevisionArn: REV_ARN },
    ],
  });
  ecsMock.on(DescribeServiceRevisionsCommand).resolves({
    serviceRevisions: [
      { serviceRevisionArn: OLD_REV_ARN, taskDefinition: TD(6) },
      { serviceRevisionArn: REV_ARN, taskDefinition: TD(7) },
    ],
  });
}

beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock(STARTED.getTime() + 1000);
  lines = [];
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('watchRollout', () => {
  it('judges a rollback that finished between two calls of one poll against the service read after it', async () => {
    withServiceDeployments();
    // The whole rollback passes between DescribeServices (still on ours) and DescribeServiceDeployments.
    const stillOurs = svc([dep(7, { runningCount: 0 }), dep(6, { runningCount: 2 })]);
    const back = svc([dep(6, { status: 'PRIMARY', runningCount: 2, rolloutState: 'COMPLETED' })]);
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [stillOurs] })
      .resolves({ services: [back] });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [sd('ROLLBACK_SUCCESSFUL')] });

    const result = await watchRollout(ecs, target, options());

    expect(result).toMatchObject({ state: 'ROLLED_BACK', rolledBackTo: TD(6) });
    expect(result.reason).toMatch(/the service is back on web:6/);
  });

  it('succeeds on the third poll and prints only what changed', async () => {
    withServiceDeployments();
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [inProgress] })
      .resolvesOnce({ services: [draining] })
      .resolves({ services: [done] });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [sd('IN_PROGRESS')] })
      .resolvesOnce({ serviceDeployments: [sd('IN_PROGRESS')] })
      .resolves({ serviceDeployments: [sd('SUCCESSFUL')] });

    const result = await watchRollout(ecs, target, options());

    expect(result).toMatchObject({
      state: 'SUCCESSFUL',
      success: true,
      serviceDeploymentArn: SD_ARN,
      deploymentId: 'ecs-svc/new',
    });
    expect(result.durationMs).toBe(11_000);
    expect(clock.slept).toEqual([5000, 5000]);
    // One read per poll, and the final status judged against a service read after it.
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(4);
    // Found once, then only described.
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1);
    const after = ecsMock.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input.createdAt?.after;
    expect(after!.getTime()).toBeLessThan(STARTED.getTime());
    expect(lines).toEqual([
      '[   1s] watching web:7 roll out on web (cluster prod); polling every 5s, timeout 30 min',
      `[   1s] following service deployment ${SD_ARN}`,
      '[   1s] (service web) has started 2 tasks: (task a) (task b).',
      '[   1s] service deployment IN_PROGRESS',
      '[   1s] PRIMARY rev 7 (new)  running 1/2  pending 1  failed 0  IN_PROGRESS',
      '[   1s] ACTIVE rev 6  running 2/2  pending 0  failed 0  IN_PROGRESS',
      '[   6s] (service web) has stopped 1 running tasks: (task old1).',
      '[   6s] PRIMARY rev 7 (new)  running 2/2  pending 0  failed 0  IN_PROGRESS',
      '[   6s] ACTIVE rev 6  running 1/2  pending 0  failed 0  IN_PROGRESS',
      '[  11s] (service web) has reached a steady state.',
      '[  11s] service deployment SUCCESSFUL',
      '[  11s] PRIMARY rev 7 (new)  running 2/2  pending 0  failed 0  COMPLETED',
      '[  11s] SUCCESSFUL: ECS reports the deployment of web:7 SUCCESSFUL',
    ]);
    expect(result.timeline.map((t) => t.text)).toEqual(lines);
  });

  it('fails at once when a task of ours cannot pull its image, naming task and container', async () => {
    withServiceDeployments();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('IN_PROGRESS')] });
    const oldTask = stoppedTask('old6', {
      taskDefinitionArn: TD(6),
      stoppedReason: 'Scaling activity initiated by deployment',
    });
    const pulled = stoppedTask('9f8e7d', {
      stoppedReason: PULL_REASON,
      containers: [{ name: 'app', reason: PULL_REASON }],
    });
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: [oldTask.taskArn!] })
      .resolves({ taskArns: [pulled.taskArn!, oldTask.taskArn!] });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [oldTask] })
      .resolves({ tasks: [pulled] });

    const result = await watchRollout(ecs, target, options());

    expect(result.state).toBe('FAILED');
    expect(result.reason).toBe(
      `Task 9f8e7d stopped: container 'app' could not pull its image: ${PULL_REASON}`,
    );
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    // The already-seen task is not described again.
    expect(ecsMock.commandCalls(DescribeTasksCommand)[1]?.args[0].input.tasks).toEqual([pulled.taskArn]);
    expect(lines).toContain(`[   6s] task 9f8e7d stopped: ${PULL_REASON}`);
    expect(lines.join('\n')).not.toContain('old6');
  });

  it('looks again at a task that is still stopping, and prints it once stopped with its exit code', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(awsError('UnknownOperationException', 'no', 400));
    ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress] });
    const stopping = stoppedTask('abc', { lastStatus: 'DEPROVISIONING', containers: [{ name: 'app' }] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [stopping.taskArn!] });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [stopping] })
      .resolves({ tasks: [stoppedTask('abc')] });

    await watchRollout(ecs, target, options({ timeoutMinutes: 0.2 }));

    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(2);
    expect(lines.filter((l) => l.includes('task abc stopped'))).toEqual([
      '[   6s] task abc stopped: Essential container in task exited; container app exit 1',
    ]);
  });

  it.each([
    ['DescribeServices', DescribeServicesCommand, 'ecs:DescribeServices'],
    ['ListTasks', ListTasksCommand, 'ecs:ListTasks'],
    ['DescribeServiceDeployments', DescribeServiceDeploymentsCommand, 'ecs:DescribeServiceDeployments'],
  ] as const)(
    'AccessDenied on %s ends the watch at once naming the IAM action',
    async (_n, command, action) => {
      withServiceDeployments();
      ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress] });
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('IN_PROGRESS')] });
      const denied = new AccessDeniedException({ message: 'User is not authorized', $metadata: {} });
      // The three commands have different input types; the mock only needs the class.
      ecsMock.on(command as typeof DescribeServicesCommand).rejects(denied);

      const result = await watchRollout(ecs, target, options());

      expect(result).toMatchObject({ state: 'FAILED', success: false });
      expect(result.reason).toContain(`Access denied for ${action}`);
      expect(clock.slept).toEqual([]);
    },
  );

  it('retries throttling and server errors with growing, bounded backoff, then succeeds', async () => {
    withServiceDeployments();
    ecsMock
      .on(DescribeServicesCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded', 400))
      .rejectsOnce(awsError('ServerException', 'Internal', 500))
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .resolves({ services: [done] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('SUCCESSFUL')] });

    const result = await watchRollout(ecs, target, options({ pollSeconds: 5 }));

    expect(result.state).toBe('SUCCESSFUL');
    expect(clock.slept).toEqual([10_000, 20_000, 30_000]);
    expect(lines).toContain('[   1s] ThrottlingException on ecs:DescribeServices; retrying in 10s');
  });

  it('times out naming what is still pending', async () => {
    withServiceDeployments();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('IN_PROGRESS')] });

    const result = await watchRollout(ecs, target, options({ timeoutMinutes: 1 }));

    expect(result.state).toBe('TIMED_OUT');
    expect(result.success).toBe(false);
    expect(result.reason).toBe(
      'Timed out after 1 min waiting for web:7: service deployment IN_PROGRESS; ' +
        'web:7 IN_PROGRESS running 1/2, pending 1, failed 0; 1 other deployment(s) still active (web:6)',
    );
    expect(ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(13);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(60_000);
    // Each deployment line once; while nothing changes, a heartbeat every 30 s says what the wait is for.
    expect(lines.filter((l) => l.includes('PRIMARY rev 7'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('still waiting'))).toEqual([
      '[  31s] still waiting for web:7: service deployment IN_PROGRESS, 1/2 running, 1 pending; ' +
        'web:6 still runs 2 tasks; 30s of 1m',
    ]);
    expect(result.timeline.filter((t) => t.text.includes('PRIMARY rev 7'))).toHaveLength(1);
    expect(result.rollback).toBe('ours');
  });

  it('times out while throttled, saying so', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    const result = await watchRollout(ecs, target, options({ timeoutMinutes: 1 }));
    expect(result.state).toBe('TIMED_OUT');
    expect(result.reason).toBe(
      'ECS never answered in 1 min of waiting for web:7 (last error: ThrottlingException on ' +
        'ecs:DescribeServices); the service was left as it is',
    );
    // Nothing seen, nothing undone: no rollback hint.
    expect(result.rollback).toBeUndefined();
    expect(lines.at(-1)).toMatch(/^\[\s*\d+s\] TIMED_OUT: ECS never answered in 1 min/);
    expect(Math.max(...clock.slept)).toBeLessThanOrEqual(30_000);
  });

  it.each([
    ['UnknownOperationException', awsError('UnknownOperationException', 'Unknown operation', 400)],
    [
      'AccessDenied on ListServiceDeployments only',
      new AccessDeniedException({ message: 'denied', $metadata: {} }),
    ],
    ['InvalidParameterException', awsError('InvalidParameterException', 'bad', 400)],
  ])(
    'falls back to service.deployments when ListServiceDeployments fails with %s, and says so once',
    async (_n, err) => {
      ecsMock.on(ListServiceDeploymentsCommand).rejects(err);
      ecsMock
        .on(DescribeServicesCommand)
        .resolvesOnce({ services: [inProgress] })
        .resolvesOnce({ services: [draining] })
        .resolves({ services: [done] });

      const result = await watchRollout(ecs, target, options());

      expect(result).toMatchObject({ state: 'SUCCESSFUL', serviceDeploymentArn: undefined });
      expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1);
      expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0);
      expect(lines.filter((l) => l.includes('service deployments are not available'))).toHaveLength(1);
    },
  );

  it('keeps looking for the service deployment until it shows up', async () => {
    ecsMock
      .on(ListServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [] })
      .resolves({
        serviceDeployments: [
          { serviceDeploymentArn: SD_ARN, createdAt: at(1), targetServiceRevisionArn: REV_ARN },
        ],
      });
    ecsMock
      .on(DescribeServiceRevisionsCommand)
      .resolves({ serviceRevisions: [{ serviceRevisionArn: REV_ARN, taskDefinition: TD(7) }] });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress] });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [sd('ROLLBACK_IN_PROGRESS')] });

    const result = await watchRollout(ecs, target, options());

    expect(result).toMatchObject({ state: 'FAILED', serviceDeploymentArn: SD_ARN });
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(2);
  });

  it.each([
    [
      'ServiceNotFoundException',
      new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }),
      /Service web in cluster prod not found/,
    ],
    ['a MISSING failure', undefined, /web in cluster prod no longer exists/],
  ])('ends FAILED when the service is gone (%s)', async (_n, err, reason) => {
    withServiceDeployments();
    if (err) ecsMock.on(DescribeServicesCommand).rejects(err);
    else
      ecsMock
        .on(DescribeServicesCommand)
        .resolves({ services: [], failures: [{ arn: 'web', reason: 'MISSING' }] });

    const result = await watchRollout(ecs, target, options());

    expect(result).toMatchObject({ state: 'FAILED', success: false });
    expect(result.reason).toMatch(reason);
  });

  it('passes a bare service name to ListTasks when given a service ARN', async () => {
    withServiceDeployments();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [done] });
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd('SUCCESSFUL')] });
    const arnTarget = { ...target, service: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web' };

    await watchRollout(ecs, arnTarget, options());

    expect(ecsMock.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({
      cluster: 'prod',
      serviceName: 'web',
      desiredStatus: 'STOPPED',
    });
  });
});
