import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { runAction } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';

/**
 * A bad day at the ECS API: a fifth of all ECS calls answered with ThrottlingException or a 503. Every
 * deploy must still succeed (the SDK's retries for single calls, the watcher's backoff for its polls).
 * Each deploy names its container's image (`containers: busy=IMAGE`), so it makes every ECS call of a
 * deploy without a docker push, which is not under test here and took most of each deploy's time.
 */

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  // A rollout of sandbox seconds passes in real milliseconds; the step's polls decide how fast it is seen.
  environment = await startEnvironment({ timeScale: 500, docker: false });
  ecs = sandboxEcs(environment.env);
  await seedService(ecs, { service: 'busy', desiredCount: 2 });
  await waitSteady(ecs, 'busy');
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

describe('with 20% of ECS calls throttled or answered 503', () => {
  it('20 consecutive deploys of a healthy revision all succeed', async () => {
    const outcomes: string[] = [];
    for (let i = 1; i <= 20; i++) {
      environment.aws.faults = { rate: 0.2 };
      try {
        const { main } = await runAction({
          inputs: {
            // A new image each time, so each deploy is a new revision and a real rollout.
            containers: `busy=public.ecr.aws/sandbox/busy-app:${i}`,
            service: 'busy',
            'poll-seconds': '0.1',
          },
          env: environment.env,
          post: false,
        });
        const error = main.stdout.split('\n').find((l) => l.startsWith('::error::'));
        outcomes.push(`${i} ${main.code} ${main.outputs['rollout-state'] ?? '-'}${error ? ` ${error}` : ''}`);
      } finally {
        environment.aws.faults = undefined;
      }
    }
    expect(outcomes).toEqual(Array.from({ length: 20 }, (_, k) => `${k + 1} 0 SUCCESSFUL`));
    // The faults really happened, to reads and writes alike.
    const faulted = environment.aws.requests.filter((r) => r.fault);
    expect(faulted.length).toBeGreaterThan(20);
    expect(new Set(faulted.map((r) => r.fault))).toEqual(
      new Set(['ThrottlingException', 'ServiceUnavailableException']),
    );
    expect(faulted.some((r) => r.write)).toBe(true);
    const revisions = environment.aws.state.taskDefinitions('busy');
    expect(environment.aws.state.service('busy')?.taskDefinition).toBe(revisions.at(-1)?.taskDefinitionArn);
  }, 240_000);
});
