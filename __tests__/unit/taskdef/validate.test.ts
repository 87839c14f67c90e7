import * as ecs from '@aws-sdk/client-ecs';
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readDeclarations, shapeTable } from '../../../src/taskdef/shape-source.js';
import { ROOT_SHAPE, SHAPES } from '../../../src/taskdef/shape.generated.js';
import { describeUnknownKey, editDistance, findUnknownKeys, nearest } from '../../../src/taskdef/validate.js';
import { CASES, renderCase } from './cases.js';

describe('the generated shape table', () => {
  it('is what scripts/gen-taskdef-shape.ts derives from the installed SDK (run it after an SDK update)', () => {
    const sdk = dirname(createRequire(import.meta.url).resolve('@aws-sdk/client-ecs/package.json'));
    const dts = ['models_0.d.ts', 'models_1.d.ts']
      .map((f) => readFileSync(join(sdk, 'dist-types/models', f), 'utf8'))
      .join('\n');
    const table = shapeTable(ecs.RegisterTaskDefinitionRequest$, readDeclarations(dts), ecs);
    expect({ root: ROOT_SHAPE, shapes: SHAPES }).toEqual(table);
  });

  it('knows the keys the SDK serializes and the kind of each value, at every depth', () => {
    expect(SHAPES[ROOT_SHAPE]?.members).toMatchObject({
      containerDefinitions: { list: { structure: 'ContainerDefinition' } },
      tags: { list: { structure: 'Tag' } },
      networkMode: { enum: ['awsvpc', 'bridge', 'host', 'none'] },
      requiresCompatibilities: { list: { enum: expect.arrayContaining(['EC2', 'FARGATE']) } },
    });
    expect(SHAPES[ROOT_SHAPE]?.required).toEqual(['family', 'containerDefinitions']);
    expect(SHAPES['ContainerDefinition']?.members).toMatchObject({
      environment: { list: { structure: 'KeyValuePair' } },
      dockerLabels: { map: 'string' },
      essential: 'boolean',
      memory: 'integer',
      command: { list: 'string' },
    });
    expect(SHAPES['Volume']?.members).toHaveProperty('configuredAtLaunch', 'boolean');
    expect(SHAPES['ProxyConfiguration']?.members).toMatchObject({
      properties: { list: { structure: 'KeyValuePair' } },
    });
    expect(SHAPES['Secret']?.required).toEqual(['name', 'valueFrom']);
  });
});

describe('findUnknownKeys', () => {
  it.each(CASES.map((c) => [c.fixture, c] as const))('finds none in the rendered %s', async (_, c) => {
    expect(findUnknownKeys((await renderCase(c)).rendered)).toEqual([]);
  });

  it.each([
    [{ familly: 'x' }, 'familly: unknown key, did you mean family?'],
    [
      { containerDefinitions: [{ name: 'a' }, { name: 'b', enviroment: [] }] },
      'containerDefinitions[1].enviroment: unknown key, did you mean environment?',
    ],
    [
      { containerDefinitions: [{ logConfiguration: { logDriver: 'x', optoins: {} } }] },
      'containerDefinitions[0].logConfiguration.optoins: unknown key, did you mean options?',
    ],
    [
      { containerDefinitions: [{ environment: [{ name: 'A', valeu: '' }] }] },
      'containerDefinitions[0].environment[0].valeu: unknown key, did you mean value?',
    ],
    [
      { volumes: [{ name: 'v', configuredAtlaunch: true }] },
      'volumes[0].configuredAtlaunch: unknown key, did you mean configuredAtLaunch?',
    ],
    [{ environment: [] }, 'environment: unknown key here (it is a key of ContainerDefinition)'],
    [{ zzzzzz: 1 }, 'zzzzzz: unknown key'],
    // Nothing inherited from Object.prototype counts as a key of the shape.
    [JSON.parse('{"constructor": 1}'), 'constructor: unknown key'],
    [JSON.parse('{"toString": "x"}'), 'toString: unknown key'],
    [JSON.parse('{"hasOwnProperty": true}'), 'hasOwnProperty: unknown key'],
    [JSON.parse('{"__proto__": {"family": "x"}}'), '__proto__: unknown key'],
    [
      { containerDefinitions: [JSON.parse('{"valueOf": 1}')] },
      'containerDefinitions[0].valueOf: unknown key',
    ],
    [{ 'web\n::warning::X': 1 }, '["web\\n::warning::X"]: unknown key'],
  ])('reports %j as %s', (doc, message) => {
    const found = findUnknownKeys(doc);
    expect(found).toHaveLength(1);
    expect(describeUnknownKey(found[0]!)).toContain(message);
  });

  it('reads no keys in free-form maps, nor inside values of the wrong kind (values.ts reports those)', () => {
    expect(
      findUnknownKeys({
        containerDefinitions: [
          { dockerLabels: { anything: 'x' }, logConfiguration: { options: { any: '' } } },
        ],
        volumes: 'not a list',
      }),
    ).toEqual([]);
  });
});

describe('nearest', () => {
  it.each([
    ['enviroment', 'environment'],
    ['memroy', 'memory'],
    ['Family', 'family'],
    ['networkmode', 'networkMode'],
    ['xyz', undefined],
  ])('%s → %s', (key, expected) => {
    const keys = Object.keys({ ...SHAPES[ROOT_SHAPE]?.members, ...SHAPES['ContainerDefinition']?.members });
    expect(nearest(key, keys)).toBe(expected);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('memroy', 'memory')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
