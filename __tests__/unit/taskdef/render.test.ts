import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { loadTaskDefinitionFile, type TaskDefinitionDoc } from '../../../src/taskdef/load.js';
import { containerNames } from '../../../src/taskdef/containers.js';
import { READ_ONLY_KEYS, renderTaskDefinition, resolveContainers } from '../../../src/taskdef/render.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/taskdef');
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:${'ab'.repeat(32)}`;

const load = (name: string): Promise<TaskDefinitionDoc> => loadTaskDefinitionFile(join(FIXTURES, name));
const golden = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(FIXTURES, 'rendered', name), 'utf8'));

type Container = Record<string, unknown>;
const containersOf = (td: TaskDefinitionDoc): Container[] => td['containerDefinitions'] as Container[];

describe('renderTaskDefinition', () => {
  it.each([
    ['fargate-web-firelens.json', ['web']],
    ['describe-task-definition.json', ['worker']],
    ['console-export.json', ['api']],
  ])('renders %s to its golden file', async (file, containers) => {
    const rendered = renderTaskDefinition(await load(file), { containers, image: IMAGE });
    expect(rendered).toEqual(await golden(file));
  });

  it.each([
    ['fargate-web-firelens.json', ['web']],
    ['fargate-web-firelens.json', ['log-router']],
    ['fargate-web-firelens.json', ['web', 'log-router']],
    ['describe-task-definition.json', ['worker']],
    ['console-export.json', ['api']],
  ])(
    'changes nothing in %s but the image of %j (and the read-only keys and nulls)',
    async (file, containers) => {
      const td = await load(file);
      const rendered = renderTaskDefinition(td, { containers, image: IMAGE });

      const expected: TaskDefinitionDoc = {};
      for (const [key, value] of Object.entries(td)) {
        if (!READ_ONLY_KEYS.includes(key) && value !== null) expected[key] = value;
      }
      expected['containerDefinitions'] = containersOf(td).map((c) =>
        containers.includes(c['name'] as string) ? { ...c, image: IMAGE } : c,
      );
      expect(rendered).toStrictEqual(expected);
    },
  );

  it('removes every read-only key DescribeTaskDefinition returns', async () => {
    const td = await load('describe-task-definition.json');
    for (const key of READ_ONLY_KEYS) expect(td).toHaveProperty([key]);
    const rendered = renderTaskDefinition(td, { containers: ['worker'], image: IMAGE });
    for (const key of READ_ONLY_KEYS) expect(rendered).not.toHaveProperty([key]);
  });

  it('keeps empty values, zeros, false and empty objects and lists', () => {
    const td: TaskDefinitionDoc = {
      family: 'f',
      enableFaultInjection: false,
      volumes: [],
      containerDefinitions: [
        { name: 'app', image: 'old', cpu: 0, environment: [{ name: 'EMPTY', value: '' }], dockerLabels: {} },
      ],
    };
    expect(renderTaskDefinition(td, { containers: ['app'], image: 'new' })).toStrictEqual({
      family: 'f',
      enableFaultInjection: false,
      volumes: [],
      containerDefinitions: [
        { name: 'app', image: 'new', cpu: 0, environment: [{ name: 'EMPTY', value: '' }], dockerLabels: {} },
      ],
    });
  });

  it('never mutates its input', async () => {
    const td = await load('console-export.json');
    const before = structuredClone(td);
    const rendered = renderTaskDefinition(td, { containers: ['api'], image: IMAGE });
    containersOf(rendered)[0]!['environment'] = [];
    expect(td).toStrictEqual(before);
  });

  it('adds an image to a container that had none', () => {
    const td = { containerDefinitions: [{ name: 'app' }] };
    expect(containersOf(renderTaskDefinition(td, { containers: ['app'], image: 'img' }))).toEqual([
      { name: 'app', image: 'img' },
    ]);
  });

  it('refuses a container that is not in the task definition', () => {
    const td = { containerDefinitions: [{ name: 'app', image: 'x' }] };
    expect(() => renderTaskDefinition(td, { containers: ['ap'], image: 'img' })).toThrow(
      'Cannot set the image of container(s) ap: not in the task definition (it has: app).',
    );
  });
});

describe('containers', () => {
  const firelens = {
    containerDefinitions: [
      { name: 'web', image: 'a' },
      { name: 'log-router', image: 'b' },
    ],
  };
  const single = { containerDefinitions: [{ name: 'worker', image: 'a' }] };

  it.each([
    [firelens, ['web', 'log-router']],
    [single, ['worker']],
    [{ containerDefinitions: [{ image: 'unnamed' }, { name: 'x' }] }, ['x']],
    [{}, []],
  ])('containerNames(%j) is %j', (td, names) => {
    expect(containerNames(td)).toEqual(names);
  });

  it.each([
    [single, [], ['worker']],
    [firelens, ['web'], ['web']],
    [firelens, ['log-router', 'web'], ['log-router', 'web']],
    [firelens, ['web', 'web'], ['web']],
  ])('resolveContainers(%j, %j) is %j', (td, requested, expected) => {
    expect(resolveContainers(td, requested)).toEqual(expected);
  });

  it.each([
    [
      firelens,
      ['wbe'],
      "Input 'containers' names 'wbe', which is not in the task definition (it has: web, log-router).",
    ],
    [
      firelens,
      [],
      "The task definition has 2 containers (web, log-router): set input 'containers' to the ones that get the new image.",
    ],
    [
      single,
      ['Worker'],
      "Input 'containers' names 'Worker', which is not in the task definition (it has: worker).",
    ],
    [{ containerDefinitions: [] }, [], 'The task definition has no named containers to deploy to.'],
  ])('resolveContainers(%j, %j) fails with one clear line', (td, requested, message) => {
    let caught: unknown;
    try {
      resolveContainers(td, requested);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toBe(message);
  });
});
