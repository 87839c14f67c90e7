import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, taskDefinitionFile, seedService, waitSteady } from '../../sandbox/seed.js';

/**
 * The watcher's log as a person reads it, run as the runner runs the bundled action: a rollout in which
 * nothing changes for ten sandbox minutes (the new tasks' health check passes only after 600 s, see the
 * sandbox README) logs each change once and a heartbeat every 30 s, not a line per poll. At time scale 12
 * the ten minutes take 50 real seconds; polling every 0.5 s, the old log had a hundred polls of it.
 */

const TIME_SCALE = 12;
let environment: Environment;
let ecs: ECSClient;
let main: StepResult;
let startedAt: number;

/** The watcher's lines, `[  12s] text` → [12, text]. */
function watcherLines(result: StepResult): Array<[number, string]> {
  return result.stdout
    .split('\n')
    .map((l) => /^\[\s*(\d+)s\] (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), m[2] ?? '']);
}

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: TIME_SCALE, docker: false });
  ecs = sandboxEcs(environment.env);
  await seedService(ecs, { service: 'slow', desiredCount: 2 });
  await waitSteady(ecs, 'slow');
  const file = await taskDefinitionFile('slow', {
    containerDefinitions: [
      {
        name: 'slow',
        image: 'placeholder',
        essential: true,
        healthCheck: { command: ['CMD-SHELL', 'sleep 600 && curl -f http://localhost/ || exit 1'] },
      },
    ],
  });
  startedAt = Date.now();
  ({ main } = await runAction({
    inputs: {
      service: 'slow',
      'task-definition': file,
      containers: 'slow=public.ecr.aws/nginx/nginx:1.27',
      'poll-seconds': '0.5',
    },
    env: environment.env,
    post: false,
  }));
}, 180_000);

afterAll(async () => {
  await environment?.stop();
});

describe('a 10-minute rollout in which nothing changes for 10 minutes', () => {
  it('succeeds, and really took ten sandbox minutes', () => {
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
    const lines = watcherLines(main);
    const last = lines.at(-1);
    expect(last?.[1]).toMatch(/^SUCCESSFUL: /);
    expect(((last?.[0] ?? 0) * TIME_SCALE) / 60).toBeGreaterThanOrEqual(10);
  });

  it('logs at most 40 lines in all, and only heartbeats, at least 30 s apart, while nothing changes', () => {
    const lines = watcherLines(main);
    expect(lines.length).toBeLessThanOrEqual(40);
    const revision = main.outputs['task-definition-arn']?.split('/').at(-1) ?? '?';
    // The quiet stretch: from the new tasks all running to the first change after it.
    const allRunning = lines.findIndex(([, t]) =>
      /^PRIMARY rev \d+ \(new\)  running 2\/2  pending 0/.test(t),
    );
    expect(allRunning).toBeGreaterThanOrEqual(0);
    const rest = lines.slice(allRunning + 1);
    const quiet = rest.slice(
      0,
      rest.findIndex(([, t]) => !t.startsWith('still waiting for ')),
    );
    expect(quiet.length).toBeGreaterThanOrEqual(1);
    expect(quiet.length).toBeLessThanOrEqual(40);
    for (const [, text] of quiet) {
      expect(text).toMatch(
        new RegExp(
          `^still waiting for ${revision}: service deployment IN_PROGRESS, 2/2 running; slow:1 still runs 2 tasks; \\d+s of 30m$`,
        ),
      );
    }
    const times = [lines[allRunning]?.[0] ?? 0, ...quiet.map(([at]) => at)];
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(30);
    }
  });

  it('logs every change: each event ECS recorded once, each deployment line only when it changed', () => {
    const texts = watcherLines(main).map(([, t]) => t);
    const events = (environment.aws.state.service('slow')?.events ?? [])
      .filter((e) => (e.createdAt?.getTime() ?? 0) >= startedAt)
      .map((e) => e.message ?? '');
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const message of events) expect(texts.filter((t) => t === message)).toEqual([message]);
    // Per deployment, no line repeats the one before it.
    const byDeployment = new Map<string, string[]>();
    for (const t of texts) {
      const m = /^(PRIMARY|ACTIVE) (rev \d+)/.exec(t);
      if (m?.[2]) byDeployment.set(m[2], [...(byDeployment.get(m[2]) ?? []), t]);
    }
    expect(byDeployment.size).toBe(2);
    for (const printed of byDeployment.values()) {
      printed.forEach((t, i) => expect(t).not.toBe(printed[i - 1]));
    }
    expect(texts).toContainEqual(
      expect.stringMatching(/^PRIMARY rev \d+ \(new\)  running 2\/2  .*COMPLETED$/),
    );
    // The old revision is never called new; PRIMARY is printed before ACTIVE in the same poll.
    expect(texts.filter((t) => t.startsWith('ACTIVE') && t.includes('(new)'))).toEqual([]);
  });
});
