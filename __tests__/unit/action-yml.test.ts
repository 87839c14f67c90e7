import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readInputs } from '../../src/inputs.js';
import { ROOT } from '../../sandbox/runner.js';
import { outputsOf, type Stage } from '../../src/report/outputs.js';
import { everyStage } from './report/results.js';

interface ActionYml {
  inputs: Record<string, { description: string; required: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
}

const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each with a description', () => {
    const read = new Set<string>();
    const values: Record<string, string> = { image: 'a:b', repository: 'a', service: 's', tags: 't' };
    readInputs((name) => (read.add(name), values[name] ?? ''), { AWS_REGION: 'us-east-1' });
    expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect({ name, described: spec.description.length > 10 }).toEqual({ name, described: true });
    }
  });

  it('documents the same defaults the parser applies', () => {
    const values: Record<string, string> = { image: 'a:b', repository: 'a', service: 's', tags: 't' };
    const env = { AWS_REGION: 'us-east-1' };
    const parsedWithoutInput = readInputs((name) => values[name] ?? '', env);
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, spec]) => [name, String(spec.default ?? '')]),
    );
    const parsedWithDefaults = readInputs((name) => values[name] ?? defaults[name] ?? '', env);
    expect(parsedWithDefaults).toEqual(parsedWithoutInput);
  });

  it('declares every output the action sets, and the action sets every output it declares', () => {
    // One result of each stage (the type makes a new stage need one here), mapped as report/ maps it.
    const stages = Object.keys(everyStage) as Stage[];
    const set = stages.flatMap(<S extends Stage>(stage: S) =>
      Object.keys(outputsOf(stage, everyStage[stage])),
    );
    expect(Object.keys(action.outputs).sort()).toEqual([...new Set(set)].sort());
  });

  it('has one owner of the Actions I/O: only report/ sets outputs, writes the summary or prints', async () => {
    const files = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    const using = async (pattern: RegExp) => {
      const hits = await Promise.all(
        files.map(async (f) => (pattern.test(await readFile(join(ROOT, 'src', f), 'utf8')) ? [f] : [])),
      );
      return hits.flat().sort();
    };
    expect(await using(/core\.(setOutput|summary)/)).toEqual(['report/outputs.ts', 'report/summary.ts']);
    expect(await using(/process\.std(out|err)\.write|console\./)).toEqual(['report/log.ts']);
    // The post step (cleanup.ts) is its own entry point, outside the main step's report.
    const core = await using(/from '@actions\/core'/);
    expect(core.filter((f) => !f.startsWith('report/') && f !== 'cleanup.ts')).toEqual([]);
  });

  it('runs on node24 with a main and a post step from dist/', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/cleanup/index.js' });
  });
});
