import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { sandboxEcs, seedService } from '../../sandbox/seed.js';

// Issue 9, item 1: what a task-definition file holds is checked against the SDK's model and ECS's limits
// before anything is written. Each case once registered a broken revision (or was refused by ECS only
// after the write was attempted); now it is one line naming the file, the place, the value and what was
// expected, and the sandbox's request log shows no write.

let environment: Environment;
let dir: string;

const NGINX = 'public.ecr.aws/nginx/nginx:1.27';
const good = {
  family: 'vals',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: NGINX, portMappings: [{ containerPort: 80 }] }],
};
const web = (members: Record<string, unknown>) => ({
  ...good,
  containerDefinitions: [{ ...good.containerDefinitions[0], ...members }],
});

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20 });
  await seedService(sandboxEcs(environment.env), {
    service: 'vals',
    desiredCount: 1,
    containers: [{ name: 'web', image: NGINX, portMappings: [{ containerPort: 80 }] }],
  });
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-values-'));
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** Runs the step on a file; asserts what a user checks of a refused file: exit 1, one line, no write. */
async function refused(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  const before = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: { service: 'vals', 'task-definition': file, containers: `web=${NGINX}`, 'poll-seconds': '0.2' },
    env: environment.env,
    post: false,
  });
  const made = environment.aws.requests.slice(before);
  expect(main.code).toBe(1);
  const errors = errorLines(main);
  expect(errors).toHaveLength(1);
  expect(`${main.stdout}${main.stderr}`).not.toMatch(/^\s+at /m);
  expect(errors[0]).not.toMatch(/TypeError|ReferenceError|SyntaxError/);
  expect(made.filter((r) => r.write).map((r) => r.operation)).toEqual([]);
  const line = errors[0] ?? '';
  expect(line).toContain(file);
  return line;
}

const json = (doc: unknown): string => JSON.stringify(doc, null, 2);

describe('values of the wrong kind fail before any write', () => {
  it.each([
    [
      'portMappings-string',
      web({ portMappings: '8080' }),
      'containerDefinitions[0].portMappings is "8080": expected a list of PortMapping objects',
    ],
    [
      'essential-yes',
      web({ essential: 'yes' }),
      'containerDefinitions[0].essential is "yes": expected true or false',
    ],
    [
      'environment-string',
      web({ environment: 'MODE=prod' }),
      'containerDefinitions[0].environment is "MODE=prod": expected a list of KeyValuePair objects',
    ],
    [
      'port-negative',
      web({ portMappings: [{ containerPort: -1 }] }),
      'containerDefinitions[0].portMappings[0].containerPort is -1: expected a port from 0 to 65535',
    ],
    ['cpu-object', web({ cpu: {} }), 'containerDefinitions[0].cpu is {}: expected a whole number'],
    ['memory-true', web({ memory: true }), 'containerDefinitions[0].memory is true: expected a whole number'],
    [
      'compat-string',
      { ...good, requiresCompatibilities: 'FARGATE' },
      'requiresCompatibilities is "FARGATE": expected a list of strings',
    ],
    [
      'cpu-huge',
      { ...good, cpu: '99999999999999999999999' },
      'cpu is "99999999999999999999999": expected CPU units from 128 to 196608',
    ],
    [
      'fargate-pair',
      { ...good, memory: '4096' },
      'memory is "4096": expected memory Fargate takes with cpu 256: 512, 1024 or 2048 MiB',
    ],
  ])(
    '%s',
    async (name, doc, message) => {
      expect(await refused(`${name}.json`, json(doc))).toContain(message);
    },
    30_000,
  );
});

describe('an invalid family fails before any write', () => {
  it.each([
    ['family-number', json({ ...good, family: 5 }), 'family is 5: expected a string'],
    ['family-list', json({ ...good, family: [] }), 'family is []: expected a string'],
    ['family-null', json({ ...good, family: null }), 'family is missing: expected a string'],
    [
      'family-empty',
      json({ ...good, family: '' }),
      'family is "": expected up to 255 letters, digits, _ and -',
    ],
    [
      'family-space',
      json({ ...good, family: 'web family' }),
      'family is "web family": expected up to 255 letters',
    ],
  ])(
    '%s',
    async (name, text, message) => {
      expect(await refused(`${name}.json`, text)).toContain(message);
    },
    30_000,
  );

  it('a YAML !!js/function tag', async () => {
    const text = `family: !!js/function "function () { return 'vals' }"\ncontainerDefinitions:\n  - name: web\n    image: ${NGINX}\n`;
    expect(await refused('family-tag.yaml', text)).toContain(
      'is not valid YAML: line 1, column 9: the tag !!js/function is not plain data',
    );
  }, 30_000);
});

describe('keys of Object.prototype are unknown keys', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    '%s',
    async (key) => {
      const text = `{"${key}": 1, ${json(good).slice(1)}`;
      expect(await refused(`proto-${key}.json`, text)).toContain(`: ${key}: unknown key`);
    },
    30_000,
  );
});

describe('YAML aliases', () => {
  it('an alias without its anchor names the file and the line', async () => {
    const text = `family: vals\ncontainerDefinitions:\n  - name: *web\n    image: ${NGINX}\n`;
    expect(await refused('alias.yaml', text)).toContain(
      'is not valid YAML: line 3, column 11: the alias *web has no anchor &web before it',
    );
  }, 30_000);

  it('a billion laughs is refused with a clear line', async () => {
    const rows = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
      ['i', 'h'],
    ]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const line = await refused('laughs.yaml', `${rows.join('\n')}\nfamily: vals\n`);
    expect(line).toContain('line 2, column 8: its aliases expand more than 100 times');
  }, 30_000);
});

describe('files over the size ECS takes', () => {
  it.each([
    ['7mb', 7],
    ['12mb', 12],
  ])(
    'a %s file is refused before it is read',
    async (name, mb) => {
      const pad = 'x'.repeat(mb * 1024 * 1024);
      const doc = web({ environment: [{ name: 'PAD', value: pad }] });
      expect(await refused(`${name}.json`, JSON.stringify(doc))).toContain(
        `is ${mb}.0 MiB: expected a file under 1 MiB`,
      );
    },
    30_000,
  );

  it('a rendered task definition over 64 KiB is refused', async () => {
    const doc = web({ environment: [{ name: 'PAD', value: 'x'.repeat(70_000) }] });
    expect(await refused('70kb.json', JSON.stringify(doc))).toMatch(
      /\(the whole task definition\) is "68\.\d KiB": expected at most 64 KiB/,
    );
  }, 30_000);
});
