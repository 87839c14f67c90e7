import { RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs';
import { describe, expect, it } from '@jest/globals';
import { shapeTable } from '../../../src/taskdef/shape-source.js';
import { ROOT_SHAPE, SHAPES } from '../../../src/taskdef/shape.generated.js';
import { describeUnknownKey, editDistance, findUnknownKeys, nearest } from '../../../src/taskdef/validate.js';
import { CASES, renderCase } from './cases.js';

describe('the generated shape table', () => {
  it('is what scripts/gen-taskdef-shape.ts derives from the installed SDK (run it after an SDK update)', () => {
    expect({ root: ROOT_SHAPE, shapes: SHAPES }).toEqual(
      (({ root, shapes }) => ({ root, shapes }))(shapeTable(RegisterTaskDefinitionRequest$)),
    );
  });

  it('knows the keys the SDK serializes, at every depth', () => {
    expect(SHAPES[ROOT_SHAPE]).toMatchObject({ containerDefinitions: 'ContainerDefinition', tags: 'Tag' });
    expect(SHAPES['ContainerDefinition']).toMatchObject({ environment: 'KeyValuePair', dockerLabels: null });
    expect(SHAPES['Volume']).toHaveProperty('configuredAtLaunch');
    expect(SHAPES['ProxyConfiguration']).toMatchObject({ properties: 'KeyValuePair' });
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
  ])('reports %j as %s', (doc, message) => {
    const found = findUnknownKeys(doc);
    expect(found).toHaveLength(1);
    expect(describeUnknownKey(found[0]!)).toContain(message);
  });

  it('leaves free-form maps and non-object values to ECS', () => {
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
    expect(nearest(key, Object.keys({ ...SHAPES[ROOT_SHAPE], ...SHAPES['ContainerDefinition'] }))).toBe(
      expected,
    );
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('memroy', 'memory')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
