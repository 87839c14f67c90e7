import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { writeRenderedTaskDefinition } from '../../../src/taskdef/write.js';

const td = {
  family: 'shop-web',
  containerDefinitions: [{ name: 'web', image: 'img', environment: [{ name: 'EMPTY', value: '' }] }],
};

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'taskdef-write-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('writeRenderedTaskDefinition', () => {
  const saved = process.env['RUNNER_TEMP'];
  afterEach(() => {
    if (saved === undefined) delete process.env['RUNNER_TEMP'];
    else process.env['RUNNER_TEMP'] = saved;
  });

  it('writes pretty JSON that reads back to the same task definition', async () => {
    const dir = await mkdtemp(join(scratch, 'w-'));
    const path = await writeRenderedTaskDefinition(td, dir);
    expect(dirname(path)).toBe(dir);
    expect(basename(path)).toMatch(/^task-definition-shop-web-[0-9a-f]{12}\.json$/);
    const text = await readFile(path, 'utf8');
    expect(JSON.parse(text)).toEqual(td);
    expect(text).toContain('\n  "family": "shop-web",\n');
  });

  it('gives every call its own file', async () => {
    const dir = await mkdtemp(join(scratch, 'w-'));
    const paths = await Promise.all([1, 2, 3].map(() => writeRenderedTaskDefinition(td, dir)));
    expect(new Set(paths).size).toBe(3);
  });

  it('writes to RUNNER_TEMP by default, creating it if needed', async () => {
    const runnerTemp = join(await mkdtemp(join(scratch, 'w-')), 'runner', 'temp');
    process.env['RUNNER_TEMP'] = runnerTemp;
    expect(dirname(await writeRenderedTaskDefinition(td))).toBe(runnerTemp);
  });

  it.each([
    ['../../etc/passwd', /^task-definition-_etc_passwd-[0-9a-f]{12}\.json$/],
    [undefined, /^task-definition-unnamed-[0-9a-f]{12}\.json$/],
  ])('keeps a family of %j from escaping the directory', async (family, name) => {
    const dir = await mkdtemp(join(scratch, 'w-'));
    const path = await writeRenderedTaskDefinition({ family, containerDefinitions: [] }, dir);
    expect(dirname(path)).toBe(dir);
    expect(basename(path)).toMatch(name);
  });
});
