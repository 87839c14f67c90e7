import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, taskDefinitionFile, seedService, waitSteady } from '../../sandbox/seed.js';

/**
 * A log made for people, when a rollout fails and is undone: `(new)` marks only the revision this step
 * deploys, never the old one it returns to; the end reads as a rollback, never SUCCESSFUL (neither in the
 * log nor in the summary's timeline); the deployments are listed PRIMARY first. Both ways back: ecs-ship's
 * own rollback (`rollback: auto` after a crash ECS does not undo) and ECS's circuit-breaker rollback.
 */

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false });
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** The watcher's lines without their `[  12s] ` prefix. */
function watcherLines(result: StepResult): string[] {
  return result.stdout
    .split('\n')
    .map((l) => /^\[\s*\d+s\] (.*)$/.exec(l)?.[1])
    .filter((t): t is string => t !== undefined);
}

async function failingDeploy(
  service: string,
  container: Record<string, unknown>,
  breaker?: { enable: boolean; rollback: boolean },
): Promise<StepResult> {
  await seedService(ecs, { service, desiredCount: 2 });
  await waitSteady(ecs, service);
  if (breaker) {
    await ecs.send(
      new UpdateServiceCommand({ service, deploymentConfiguration: { deploymentCircuitBreaker: breaker } }),
    );
    await waitSteady(ecs, service);
  }
  const file = await taskDefinitionFile(service, {
    containerDefinitions: [{ name: service, image: 'placeholder', essential: true, ...container }],
  });
  const { main } = await runAction({
    inputs: {
      service,
      'task-definition': file,
      containers: `${service}=public.ecr.aws/nginx/nginx:1.27`,
      'poll-seconds': '0.5',
      rollback: 'auto',
    },
    env: environment.env,
    post: false,
  });
  return main;
}

describe.each([
  ["ecs-ship's own rollback", 'ownundo', { command: ['sh', '-c', 'exit 1'] }, undefined],
  [
    "ECS's circuit-breaker rollback",
    'cbundo',
    { healthCheck: { command: ['CMD', 'false'], interval: 5, retries: 1 } },
    { enable: true, rollback: true },
  ],
] as const)('%s', (_name, service, container, breaker) => {
  let main: StepResult;
  let lines: string[];

  beforeAll(async () => {
    main = await failingDeploy(service, container, breaker);
    lines = watcherLines(main);
  }, 120_000);

  it('fails ROLLED_BACK, and the last line of the log reads as the rollback', () => {
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    const last = lines.at(-1) ?? '';
    expect(last).toMatch(new RegExp(`^ROLLED_BACK: .*back on ${service}:1`));
  });

  it('never says SUCCESSFUL as a verdict, in the log or in the summary', () => {
    expect(lines.filter((l) => /^SUCCESSFUL\b/.test(l))).toEqual([]);
    expect(main.summary).not.toMatch(/^SUCCESSFUL:/m);
    expect(main.summary).toMatch(/rolled back/);
  });

  it('calls only the deployed revision new: never rev 1, never during the rollback', () => {
    expect(lines.filter((l) => /^\S+ rev 1 \(new\)/.test(l))).toEqual([]);
    const back = lines.findIndex((l) => /^watching the rollback|^ROLLED_BACK|rolling back/.test(l));
    const after = back < 0 ? [] : lines.slice(back);
    expect(after.filter((l) => l.includes('(new)'))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^PRIMARY rev 2 \(new\)  running/));
  });

  it("lists the deployments PRIMARY first on the watch's first look", () => {
    const first = lines.findIndex((l) => /^(PRIMARY|ACTIVE) rev /.test(l));
    expect(lines.slice(first, first + 2).map((l) => l.split(' ')[0])).toEqual(['PRIMARY', 'ACTIVE']);
  });
});
