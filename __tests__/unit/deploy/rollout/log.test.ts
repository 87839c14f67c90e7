import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type Deployment,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { watchRollout } from '../../../../src/deploy/rollout/watch.js';
import type { RolloutTarget } from '../../../../src/deploy/rollout/verdict.js';
import { at, dep, sd, STARTED, svc, target, TD } from '../fixtures.js';
import { fakeClock, type FakeClock } from '../../poll/fake-clock.js';

/**
 * The watcher's log as a person reads it: snapshots ECS gives over time in, printed lines out. Each step of a
 * script holds from its second on (counted from the update), so a ten-minute wait is one row.
 */

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

type Step = [fromSecond: number, deployments: Deployment[], serviceDeployment?: ServiceDeployment];

let clock: FakeClock;

beforeEach(() => {
  ecsMock.reset();
  clock = fakeClock(STARTED.getTime());
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

/** Runs the watch over `script` (polling every 2 s) and gives back what it printed. */
async function printed(script: Step[], over: Partial<RolloutTarget> = {}, timeoutMinutes = 30) {
  const stepNow = (): Step => {
    const second = (clock.now() - STARTED.getTime()) / 1000;
    return [...script].reverse().find(([from]) => from <= second) ?? (script[0] as Step);
  };
  ecsMock.on(DescribeServicesCommand).callsFake(() => ({ services: [svc(stepNow()[1])] as Service[] }));
  if (script.some((s) => s[2])) {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: SD_ARN, createdAt: at(0) }],
    });
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .callsFake(() => ({ serviceDeployments: [stepNow()[2] ?? sd('IN_PROGRESS')] }));
  } else {
    ecsMock
      .on(ListServiceDeploymentsCommand)
      .rejects(Object.assign(new Error('no'), { name: 'UnknownOperationException' }));
  }
  const lines: string[] = [];
  const result = await watchRollout(
    ecs,
    { ...target, ...over },
    { pollSeconds: 2, timeoutMinutes, log: (l) => lines.push(l), clock },
  );
  return { lines: lines.slice(1), result };
}

const NOT_AVAILABLE =
  "[   0s] service deployments are not available (ecs:ListServiceDeployments: UnknownOperationException); judging from the service's deployments";

describe("the watcher's log", () => {
  it('a 10-minute rollout: each change once, and one heartbeat every 30 s while nothing changes', async () => {
    const { lines, result } = await printed([
      [0, [dep(7, { pendingCount: 2 }), dep(6, { runningCount: 2 })]],
      [4, [dep(7, { runningCount: 2 }), dep(6, { runningCount: 2 })]],
      [604, [dep(7, { runningCount: 2 }), dep(6, { runningCount: 0 })]],
      [606, [dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })]],
    ]);
    const heartbeats = lines.filter((l) => l.includes('still waiting'));
    expect(lines.filter((l) => !l.includes('still waiting'))).toEqual([
      NOT_AVAILABLE,
      '[   0s] PRIMARY rev 7 (new)  running 0/2  pending 2  failed 0  IN_PROGRESS',
      '[   0s] ACTIVE rev 6  running 2/2  pending 0  failed 0  IN_PROGRESS',
      '[   4s] PRIMARY rev 7 (new)  running 2/2  pending 0  failed 0  IN_PROGRESS',
      '[ 604s] ACTIVE rev 6  running 0/2  pending 0  failed 0  IN_PROGRESS',
      '[ 606s] PRIMARY rev 7 (new)  running 2/2  pending 0  failed 0  COMPLETED',
      '[ 606s] SUCCESSFUL: web:7 is the only deployment, COMPLETED, running 2/2',
    ]);
    // 600 s without a change: 19 heartbeats, 30 s apart, not 600 repeated lines.
    expect(heartbeats).toHaveLength(19);
    expect(heartbeats[0]).toBe(
      '[  34s] still waiting for web:7: 2/2 running; web:6 still runs 2 tasks; 34s of 30m',
    );
    expect(heartbeats[3]).toBe(
      '[ 124s] still waiting for web:7: 2/2 running; web:6 still runs 2 tasks; 2m 4s of 30m',
    );
    expect(result.state).toBe('SUCCESSFUL');
    // The summary's timeline keeps the changes only.
    expect(result.timeline.some((t) => t.text.includes('still waiting'))).toBe(false);
  });

  it.each<[string, Step[], Partial<RolloutTarget>, string[]]>([
    [
      'PRIMARY first, then ACTIVE, then others, whatever order ECS lists them in',
      [
        [
          0,
          [
            dep(5, { status: 'DRAINING', id: 'ecs-svc/old5', runningCount: 1 }),
            dep(6, { runningCount: 2 }),
            dep(7, { pendingCount: 2 }),
          ],
        ],
        [2, [dep(6, { runningCount: 1 }), dep(7, { runningCount: 1, pendingCount: 1 })]],
        [4, [dep(7, { runningCount: 2, rolloutState: 'COMPLETED' })]],
      ],
      {},
      [
        NOT_AVAILABLE,
        '[   0s] PRIMARY rev 7 (new)  running 0/2  pending 2  failed 0  IN_PROGRESS',
        '[   0s] ACTIVE rev 6  running 2/2  pending 0  failed 0  IN_PROGRESS',
        '[   0s] DRAINING rev 5  running 1/2  pending 0  failed 0  IN_PROGRESS',
        '[   2s] PRIMARY rev 7 (new)  running 1/2  pending 1  failed 0  IN_PROGRESS',
        '[   2s] ACTIVE rev 6  running 1/2  pending 0  failed 0  IN_PROGRESS',
        '[   4s] PRIMARY rev 7 (new)  running 2/2  pending 0  failed 0  COMPLETED',
        '[   4s] SUCCESSFUL: web:7 is the only deployment, COMPLETED, running 2/2',
      ],
    ],
    [
      'a no-op run: the deployment that was already there is not new',
      [[0, [dep(7, { runningCount: 2, rolloutState: 'COMPLETED', createdAt: at(-90) })]]],
      {},
      [
        NOT_AVAILABLE,
        '[   0s] PRIMARY rev 7  running 2/2  pending 0  failed 0  COMPLETED',
        '[   0s] SUCCESSFUL: web:7 is the only deployment, COMPLETED, running 2/2',
      ],
    ],
    [
      "a rollback's watch: the revision it returns to is not new, and the end says where the service is",
      [
        [0, [dep(6, { status: 'PRIMARY', createdAt: at(1) }), dep(7, { status: 'ACTIVE', runningCount: 2 })]],
        [2, [dep(6, { status: 'PRIMARY', runningCount: 2, rolloutState: 'COMPLETED', createdAt: at(1) })]],
      ],
      { taskDefinitionArn: TD(6), deploymentId: 'ecs-svc/old6', rollbackOf: TD(7) },
      [
        NOT_AVAILABLE,
        '[   0s] PRIMARY rev 6  running 0/2  pending 0  failed 0  IN_PROGRESS',
        '[   0s] ACTIVE rev 7  running 2/2  pending 0  failed 0  IN_PROGRESS',
        '[   2s] PRIMARY rev 6  running 2/2  pending 0  failed 0  COMPLETED',
        '[   2s] ROLLED_BACK: the service is back on web:6 after web:7 failed',
      ],
    ],
    [
      "following ECS's own rollback on the failed service deployment: ROLLED_BACK, never SUCCESSFUL",
      [
        [
          0,
          [
            dep(6, { status: 'PRIMARY', runningCount: 2 }),
            dep(7, { status: 'ACTIVE', rolloutState: 'FAILED' }),
          ],
          sd('ROLLBACK_IN_PROGRESS'),
        ],
        [2, [dep(6, { status: 'PRIMARY', runningCount: 2 })], sd('ROLLBACK_SUCCESSFUL')],
      ],
      {
        taskDefinitionArn: TD(6),
        deploymentId: undefined,
        serviceDeploymentArn: SD_ARN,
        rollingBack: true,
        rollbackOf: TD(7),
      },
      [
        '[   0s] service deployment ROLLBACK_IN_PROGRESS',
        '[   0s] PRIMARY rev 6  running 2/2  pending 0  failed 0  IN_PROGRESS',
        '[   0s] ACTIVE rev 7  running 0/2  pending 0  failed 0  FAILED',
        '[   2s] service deployment ROLLBACK_SUCCESSFUL',
        '[   2s] ROLLED_BACK: the service is back on web:6 after web:7 failed',
      ],
    ],
  ])('%s', async (_what, script, over, expected) => {
    const { lines } = await printed(script, over);
    expect(lines).toEqual(expected);
  });

  it('a heartbeat during a rollback says it is the rollback that is awaited', async () => {
    const { lines } = await printed(
      [[0, [dep(6, { status: 'PRIMARY', pendingCount: 2, createdAt: at(1) }), dep(7, { status: 'ACTIVE' })]]],
      { taskDefinitionArn: TD(6), deploymentId: 'ecs-svc/old6', rollbackOf: TD(7) },
      1,
    );
    expect(lines).toContain(
      '[  30s] still waiting for the rollback to web:6: 0/2 running, 2 pending; 30s of 1m',
    );
    expect(lines.at(-1)).toMatch(
      /^\[  60s\] TIMED_OUT: the rollback to web:6 did not finish: Timed out after 1 min/,
    );
  });
});
