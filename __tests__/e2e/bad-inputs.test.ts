import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { registryRepositories } from '../../sandbox/registry-api.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { buildTinyImage, createRepositories, sandboxEcs, seedService } from '../../sandbox/seed.js';

let environment: Environment;
let dir: string;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 10, docker: true });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(environment.env, 'api');
  await seedService(sandboxEcs(environment.env), { service: 'api', desiredCount: 1 });
  await buildTinyImage(environment.env, 'api-app:1');
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-bad-'));
  await writeFile(
    join(dir, 'broken.json'),
    '{ "family": "api", "containerDefinitions": [ { "name": "api", }',
  );
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const good = { image: 'api-app:1', repository: 'api', tags: 'v1', service: 'api', 'poll-seconds': '0.5' };

describe('bad inputs fail with one clear line and no AWS write', () => {
  it.each([
    ['a missing service input', { service: '' }, /^::error::Input 'service' is required/],
    [
      'a service that does not exist',
      { service: 'ghost' },
      /^::error::Service 'ghost' was not found in cluster 'default'/,
    ],
    [
      'an unknown container',
      { containers: 'apii' },
      /^::error::Input 'containers' names 'apii'.*\(it has: api\)/,
    ],
    [
      'a malformed JSON task definition',
      { 'task-definition': 'broken.json' },
      /^::error::.*broken\.json.*line 1/,
    ],
    [
      'a negative timeout',
      { 'timeout-minutes': '-5' },
      /^::error::Input 'timeout-minutes' is '-5': expected a number/,
    ],
    ['an image the daemon does not have', { image: 'nope:1' }, /^::error::Input 'image' is 'nope:1'/],
  ])('%s', async (_case, override, message) => {
    const inputs: Record<string, string> = { ...good, ...override };
    if (inputs['task-definition']) inputs['task-definition'] = join(dir, inputs['task-definition']);
    const writesBefore = environment.aws.writes().length;
    const { main } = await runAction({ inputs, env: environment.env, post: false });
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(`${main.stdout}${main.stderr}`).not.toMatch(/^\s+at /m);
    expect(environment.aws.writes().slice(writesBefore)).toEqual([]);
    expect(await registryRepositories(environment.registry)).not.toContain('api');
  });
});
