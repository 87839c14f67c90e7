// `dry-run: true` without `service`: the task definition file is rendered and checked with no AWS at all —
// no AWS variable in the step's environment, and not one DNS lookup or connection (no-network.mjs records
// any AWS_* variable the step sees, and refuses and records every lookup and connection).
import { beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorLines, ROOT, runAction } from '../../sandbox/runner.js';

const NO_NETWORK = join(ROOT, '__tests__/helpers/no-network.mjs');
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:${'4f53cda18c2baa0c'.repeat(4)}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-offline-'));
  await copyFile(join(ROOT, '__tests__/fixtures/taskdef/fargate-web-firelens.json'), join(dir, 'td.json'));
  await writeFile(
    join(dir, 'typo.json'),
    JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'x', enviroment: [] }] }),
  );
});

/** The step as a pull request's workflow runs it: no AWS variable at all, the network refused. */
async function offline(inputs: Record<string, string>) {
  const network = join(dir, `network-${Math.random().toString(36).slice(2)}.log`);
  await writeFile(network, '');
  const { main } = await runAction({
    inputs: { 'dry-run': 'true', ...inputs },
    env: { NO_NETWORK_LOG: network },
    unsetEnv: ['AWS_EC2_METADATA_DISABLED'],
    nodeArgs: ['--import', pathToFileURL(NO_NETWORK).href],
    post: false,
  });
  return { main, network: (await readFile(network, 'utf8')).split('\n').filter(Boolean) };
}

describe('offline dry run (dry-run: true, no service)', () => {
  it('renders the file with the new image and the changes, validates it, and makes no request', async () => {
    const { main, network } = await offline({
      'task-definition': join(dir, 'td.json'),
      containers: `web=${IMAGE}`,
      'environment-variables': 'FEATURE=on',
    });
    expect({ code: main.code, errors: errorLines(main), network }).toEqual({
      code: 0,
      errors: [],
      network: [],
    });
    expect(main.stdout).toContain('checked offline: no service, no AWS call');
    const rendered = JSON.parse(await readFile(main.outputs['task-definition'] ?? '', 'utf8'));
    const web = rendered.containerDefinitions.find((c: { name: string }) => c.name === 'web');
    expect(web.image).toBe(IMAGE);
    expect(web.environment).toContainEqual({ name: 'FEATURE', value: 'on' });
    expect(main.summary).toContain('Checked offline, without AWS');
  });

  it('with image and repository, renders where the push would go, without asking AWS', async () => {
    const { main, network } = await offline({
      'task-definition': join(dir, 'td.json'),
      containers: 'web',
      image: 'my-app:1',
      repository: 'web',
      tags: 'v1',
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    });
    expect({ code: main.code, errors: errorLines(main), network }).toEqual({
      code: 0,
      errors: [],
      network: [],
    });
    const rendered = JSON.parse(await readFile(main.outputs['task-definition'] ?? '', 'utf8'));
    expect(rendered.containerDefinitions[0].image).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:(digest of the push)',
    );
  });

  it.each([
    [
      'an unknown key in the file',
      { 'task-definition': 'typo.json', containers: `web=${IMAGE}` },
      /^::error::.*containerDefinitions\[0\]\.enviroment: unknown key, did you mean environment\?/,
    ],
    [
      'a revision instead of a file',
      { 'task-definition': 'web:3', containers: `web=${IMAGE}` },
      /^::error::Input 'task-definition' is 'web:3': expected a task definition file \(a dry run without a service reads no AWS\)/,
    ],
    [
      'no task definition',
      { containers: `web=${IMAGE}` },
      /^::error::Input 'task-definition' is required for a dry run without 'service'/,
    ],
  ])('fails on %s with one line, and no request', async (_label, inputs, line) => {
    const file = (inputs as Record<string, string>)['task-definition'];
    const { main, network } = await offline({
      ...inputs,
      ...(file && file.endsWith('.json') ? { 'task-definition': join(dir, file) } : {}),
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([expect.stringMatching(line)]);
    expect(network).toEqual([]);
  });

  it('without dry-run, a missing service is still required', async () => {
    const { main } = await runAction({
      inputs: { 'task-definition': join(dir, 'td.json'), containers: `web=${IMAGE}` },
      env: {},
      post: false,
    });
    expect(errorLines(main)).toEqual([expect.stringMatching(/^::error::Input 'service' is required/)]);
  });
});
