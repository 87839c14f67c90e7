import { describe, expect, it } from '@jest/globals';
import { sourceKind, withTag, withTags } from '../../../src/taskdef/source.js';

describe('sourceKind', () => {
  const none = async (): Promise<boolean> => false;
  const exists = async (): Promise<boolean> => true;
  it.each([
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7', none, 'ecs'],
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7', exists, 'ecs'],
    ['shop', none, 'ecs'],
    ['shop:7', none, 'ecs'],
    ['shop', exists, 'file'],
    ['deploy/td.json', none, 'file'],
    ['td.yaml', none, 'file'],
    ['./shop', none, 'file'],
  ] as const)('%s (file exists: %p) is %s', async (source, check, kind) => {
    expect(await sourceKind(source, check)).toBe(kind);
  });
});

describe('withTags', () => {
  it('carries tags into RegisterTaskDefinition`s tags unless the document has its own', () => {
    const tags = [{ key: 'team', value: '' }];
    expect(withTags({ family: 'f' }, tags)).toEqual({ family: 'f', tags });
    expect(withTags({ family: 'f', tags: [] }, tags)).toEqual({ family: 'f', tags: [] });
    expect(withTags({ family: 'f' }, [])).toEqual({ family: 'f' });
  });
});

describe('withTag', () => {
  const tag = { key: 'ecs-ship:preview', value: 'org/app/pull/7' };
  it.each([
    [{}, [tag]],
    [{ tags: [{ key: 'team', value: 'web' }] }, [{ key: 'team', value: 'web' }, tag]],
    [{ tags: [{ key: 'ecs-ship:preview', value: 'org/app/pull/1' }] }, [tag]],
  ])('%j -> %j', (doc, tags) => {
    expect(withTag(doc, tag).tags).toEqual(tags);
  });
});
