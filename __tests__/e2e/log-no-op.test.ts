import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { registryDigest } from '../../sandbox/registry-api.js';
import { callsOf, errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { createRepositories, sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { writeOciLayout } from './publish-helpers.js';

/**
 * A log made for people, when there is nothing to do: a re-run with the same image and task definition
 * reuses the revision the service already runs; it says so in words, calls no UpdateService, prints no
 * deployment of an earlier run as if it were new, and its job summary still names the image each container
 * was given, by the digest ECS reports its tasks pulled. Run as the runner runs the bundled action.
 */

let environment: Environment;
let ecs: ECSClient;
let image: string;
let digest: string;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false });
  ecs = sandboxEcs(environment.env);
  await createRepositories(environment.env, 'named');
  // An image in the registry by tag: what a `name=IMAGE` line names when another job pushed it.
  const layout = await mkdtemp(join(tmpdir(), 'ecs-ship-named-'));
  await writeOciLayout(layout, 'v1', [{ os: 'linux', architecture: 'amd64', layers: [2048] }]);
  await seedService(ecs, { service: 'pusher', desiredCount: 1 });
  await waitSteady(ecs, 'pusher');
  const pushed = await runAction({
    inputs: { image: `oci-layout:${layout}:v1`, repository: 'named', tags: 'v1', service: 'pusher' },
    env: environment.env,
    post: false,
  });
  expect(errorLines(pushed.main)).toEqual([]);
  image = `${environment.registry.host}/named:v1`;
  digest = (await registryDigest(environment.registry, 'named', 'v1')) ?? '';
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const inputs = () => ({ service: 'same', containers: `same=${image}`, 'poll-seconds': '0.5' });

/** The summary table's cell for `row`: `| Image | `x` |` → "`x`". */
function cell(summary: string, row: string): string | undefined {
  return new RegExp(`^\\| ${row} \\| (.*) \\|$`, 'm').exec(summary)?.[1];
}

describe('a re-run that changes nothing', () => {
  let first: StepResult;
  let again: StepResult;
  let forced: StepResult;

  beforeAll(async () => {
    await seedService(ecs, { service: 'same', desiredCount: 2 });
    await waitSteady(ecs, 'same');
    ({ main: first } = await runAction({ inputs: inputs(), env: environment.env, post: false }));
    ({ main: again } = await runAction({ inputs: inputs(), env: environment.env, post: false }));
    ({ main: forced } = await runAction({
      inputs: { ...inputs(), 'force-new-deployment': 'true' },
      env: environment.env,
      post: false,
    }));
  }, 120_000);

  it('the first run deploys a new revision; the summary names the image and the digest ECS reports', () => {
    expect({ code: first.code, errors: errorLines(first) }).toEqual({ code: 0, errors: [] });
    expect(first.outputs['task-definition-changed']).toBe('true');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cell(first.summary, 'Image')).toBe(`\`${image}\``);
    expect(cell(first.summary, 'Digest')).toBe(`\`${digest}\``);
  });

  it('the re-run says in words that there was nothing to deploy, and succeeds', () => {
    expect({ code: again.code, errors: errorLines(again) }).toEqual({ code: 0, errors: [] });
    expect(again.outputs['task-definition-changed']).toBe('false');
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(again.outputs['rollout-state']).toBe('SUCCESSFUL');
    const revision = first.outputs['task-definition-arn']?.split('/').at(-1) ?? '?';
    expect(again.stdout).toContain(
      `Nothing to deploy to service same in cluster default: it already runs ${revision} (2/2 running, deployment COMPLETED) and the task definition is unchanged; UpdateService not called (force-new-deployment: true starts a new deployment anyway)`,
    );
    expect(again.summary).toContain(
      `## ✅ Nothing to deploy: same (cluster default) already runs \`${revision}\``,
    );
  });

  it('calls no UpdateService, prints no update nor any deployment line, and calls nothing new', () => {
    const calls = callsOf(again, environment.aws.requests).map((r) => r.operation);
    expect(calls).not.toContain('UpdateService');
    expect(calls).not.toContain('RegisterTaskDefinition');
    expect(again.stdout).not.toMatch(/Updated service/);
    expect(again.stdout).not.toMatch(/\(new\)/);
    expect(again.stdout).not.toMatch(/^\[\s*\d+s\] /m);
  });

  it("the re-run's summary still fills the Image and Digest cells", () => {
    expect(cell(again.summary, 'Image')).toBe(`\`${image}\``);
    expect(cell(again.summary, 'Digest')).toBe(`\`${digest}\``);
    expect(cell(again.summary, 'Rollout')).toBe('none: nothing to deploy');
  });

  it('force-new-deployment still deploys the same revision, and watches its own new deployment', () => {
    expect({ code: forced.code, errors: errorLines(forced) }).toEqual({ code: 0, errors: [] });
    const calls = callsOf(forced, environment.aws.requests).map((r) => r.operation);
    expect(calls.filter((c) => c === 'UpdateService')).toHaveLength(1);
    expect(forced.stdout).toMatch(
      /^Updated service same in cluster default, forced new deployment: deployment ecs-svc\//m,
    );
    expect(forced.stdout).toMatch(/PRIMARY rev \d+ \(new\)  running 2\/2 .*COMPLETED$/m);
    expect(forced.stdout).not.toMatch(/ACTIVE rev \d+ \(new\)/);
  });
});
