import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { runAction } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';

/**
 * A bad day at the ECS API: a fifth of all ECS calls answered with ThrottlingException or a 503. Every
 * deploy must still succeed (the SDK's retries for single calls, the watcher's backoff for its polls).
 * Each deploy names its container's image (`containers: NAME=IMAGE`), so it makes every ECS call of a
 * deploy without a docker push, which is not under test here and took most of each deploy's time. Four
 * services take their deploys at once, as a pipeline's parallel jobs would: the API's bad day is shared.
 */

const SERVICES = ['busy-a', 'busy-b', 'busy-c', 'busy-d'];
const EACH = 5;

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  // A rollout of sandbox seconds passes in real milliseconds; the step's polls decide how fast it is seen.
  environment = await startEnvironment({ timeScale: 500, docker: false });
  ecs = sandboxEcs(environment.env);
  for (const service of SERVICES) await seedService(ecs, { service, desiredCount: 2 });
  for (const service of SERVICES) await waitSteady(ecs, service);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** `EACH` consecutive deploys of one service, each a new image so each is a new revision and a real rollout. */
async function deployInTurn(service: string): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 1; i <= EACH; i++) {
    const { main } = await runAction({
      inputs: {
        containers: `${service}=public.ecr.aws/sandbox/${service}:${i}`,
        service,
        'poll-seconds': '0.1',
      },
      env: environment.env,
      post: false,
    });
    const error = main.stdout.split('\n').find((l) => l.startsWith('::error::'));
    outcomes.push(
      `${service} ${i} ${main.code} ${main.outputs['rollout-state'] ?? '-'}${error ? ` ${error}` : ''}`,
    );
  }
  return outcomes;
}

describe('with 20% of ECS calls throttled or answered 503', () => {
  it(`${SERVICES.length * EACH} deploys (${EACH} in turn on each of ${SERVICES.length} services) of a healthy revision all succeed`, async () => {
    environment.aws.faults = { rate: 0.2 };
    let outcomes: string[][];
    try {
      outcomes = await Promise.all(SERVICES.map(deployInTurn));
    } finally {
      environment.aws.faults = undefined;
    }
    expect(outcomes).toEqual(
      SERVICES.map((service) => Array.from({ length: EACH }, (_, k) => `${service} ${k + 1} 0 SUCCESSFUL`)),
    );
    // The faults really happened, to reads and writes alike.
    const faulted = environment.aws.requests.filter((r) => r.fault);
    expect(faulted.length).toBeGreaterThan(20);
    expect(new Set(faulted.map((r) => r.fault))).toEqual(
      new Set(['ThrottlingException', 'ServiceUnavailableException']),
    );
    expect(faulted.some((r) => r.write)).toBe(true);
    for (const service of SERVICES) {
      const revisions = environment.aws.state.taskDefinitions(service);
      expect(revisions).toHaveLength(1 + EACH);
      expect(environment.aws.state.service(service)?.taskDefinition).toBe(
        revisions.at(-1)?.taskDefinitionArn,
      );
    }
  }, 240_000);
});
