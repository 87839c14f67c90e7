import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { ContainerChanges } from '../../../src/inputs/taskdef.js';
import { cleanTaskDefinition } from '../../../src/taskdef/clean.js';
import type { TaskDefinitionDoc } from '../../../src/taskdef/load.js';
import { renderTaskDefinition } from '../../../src/taskdef/render.js';
import { SHAPES } from '../../../src/taskdef/shape.generated.js';
import { structureOf } from '../../../src/taskdef/validate.js';
import { CASES, FIXTURES, renderCase } from './cases.js';

describe('rendering realistic task definitions', () => {
  it.each(CASES.map((c) => [c.golden, c] as const))('renders %s exactly as its golden file', async (_, c) => {
    const { rendered } = await renderCase(c);
    const golden = JSON.parse(await readFile(join(FIXTURES, 'rendered', c.golden), 'utf8'));
    expect(rendered).toStrictEqual(golden);
    // Key order is part of "exact": the rendered file reads like the one the team wrote.
    expect(JSON.stringify(rendered)).toBe(JSON.stringify(golden));
  });
});

/** mulberry32: a small seeded generator, so a failing case can be reproduced from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEAVES: unknown[] = ['', 'a=b=c', 'x y', 0, 1, false, true, ['', 'k=v'], { k: '', 'a.b': 'c=d' }, null];

/** A random document of RegisterTaskDefinition's shape (keys drawn from the generated table). */
function generate(rand: () => number, shape: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(SHAPES[shape]?.members ?? {})) {
    const child = structureOf(member);
    if (rand() < 0.6) continue;
    if (child && depth < 3) {
      out[key] = rand() < 0.5 ? generate(rand, child, depth + 1) : [generate(rand, child, depth + 1)];
    } else {
      out[key] = structuredClone(LEAVES[Math.floor(rand() * LEAVES.length)]);
    }
  }
  return out;
}

function generateTaskDefinition(rand: () => number): TaskDefinitionDoc {
  const td = generate(rand, 'RegisterTaskDefinitionRequest', 1);
  const count = 1 + Math.floor(rand() * 4);
  td['containerDefinitions'] = Array.from({ length: count }, (_, i) => {
    const c = generate(rand, 'ContainerDefinition', 2);
    c['name'] = `c${i}`;
    c['environment'] = [
      { name: 'KEEP', value: '' },
      { name: 'SET', value: 'old=1' },
      { name: 'DROP', value: 'x' },
    ];
    c['logConfiguration'] = { logDriver: 'awslogs', options: { keep: '', set: 'old' } };
    return c;
  });
  // Read-only keys as DescribeTaskDefinition returns them.
  Object.assign(td, { revision: 3, status: 'ACTIVE', compatibilities: ['EC2'], registeredAt: '2026-01-01' });
  return td;
}

const CHANGES: ContainerChanges = {
  environment: { set: [['SET', 'new=2']], remove: ['DROP'] },
  secrets: { set: [], remove: [] },
  dockerLabels: { set: [['l', '']], remove: [] },
  logOptions: { set: [['set', 'new']], remove: [] },
  command: ['a b', ''],
  envFiles: [],
  cpu: '1024',
  memory: undefined,
  taskRoleArn: undefined,
  executionRoleArn: undefined,
};

/** The keys the request addresses; everything else must come out as the cleaned input had it. */
function withoutAddressed(td: TaskDefinitionDoc, targets: Set<string>): TaskDefinitionDoc {
  const copy = structuredClone(td);
  delete copy['cpu'];
  for (const c of copy['containerDefinitions'] as Record<string, unknown>[]) {
    if (!targets.has(c['name'] as string)) continue;
    for (const key of ['image', 'environment', 'dockerLabels', 'command']) delete c[key];
    delete (c['logConfiguration'] as Record<string, unknown>)['options'];
  }
  return copy;
}

describe('property: rendering changes only what the inputs address', () => {
  it('holds for 500 generated task definitions', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rand = random(seed);
      const td = generateTaskDefinition(rand);
      const names = (td['containerDefinitions'] as { name: string }[]).map((c) => c.name);
      const containers = names.filter(() => rand() < 0.5);
      const before = structuredClone(td);
      const rendered = renderTaskDefinition(td, { containers, image: 'img@sha256:1', changes: CHANGES });
      const targets = new Set(containers);

      expect({ seed, input: td }).toStrictEqual({ seed, input: before });
      expect({ seed, rest: withoutAddressed(rendered, targets) }).toStrictEqual({
        seed,
        rest: withoutAddressed(cleanTaskDefinition(td), targets),
      });
      expect(JSON.stringify(rendered)).not.toContain('null');
      for (const c of rendered['containerDefinitions'] as Record<string, unknown>[]) {
        if (!targets.has(c['name'] as string)) continue;
        expect(c['environment']).toStrictEqual([
          { name: 'KEEP', value: '' },
          { name: 'SET', value: 'new=2' },
        ]);
        expect(c['logConfiguration']).toStrictEqual({
          logDriver: 'awslogs',
          options: { keep: '', set: 'new' },
        });
        expect(c['command']).toStrictEqual(['a b', '']);
        expect(c['image']).toBe('img@sha256:1');
      }
      expect(rendered['cpu']).toBe('1024');
    }
  });
});
