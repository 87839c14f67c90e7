import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { UserError } from '../../../src/errors.js';
import { loadRunningTaskDefinition, loadTaskDefinitionFile } from '../../../src/taskdef/load.js';
import { containerNames } from '../../../src/taskdef/containers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/taskdef');
const fixture = (name: string): string => join(FIXTURES, name);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'taskdef-load-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadTaskDefinitionFile', () => {
  it.each([
    ['fargate-web-firelens.json', 'shop-web', ['web', 'log-router']],
    ['fargate-web-firelens.yaml', 'shop-web', ['web', 'log-router']],
    ['describe-task-definition.json', 'billing-worker', ['worker']],
    ['console-export.json', 'admin-api', ['api']],
    ['sniffed-yaml.taskdef', 'x', ['web']],
  ])('reads %s', async (file, family, containers) => {
    const td = await loadTaskDefinitionFile(fixture(file));
    expect(td['family']).toBe(family);
    expect(containerNames(td)).toEqual(containers);
  });

  it('reads YAML into exactly what the equivalent JSON gives', async () => {
    const fromYaml = await loadTaskDefinitionFile(fixture('fargate-web-firelens.yaml'));
    const fromJson = await loadTaskDefinitionFile(fixture('fargate-web-firelens.json'));
    expect(fromYaml).toEqual(fromJson);
  });

  it('keeps empty and "="-containing environment values exactly', async () => {
    const td = await loadTaskDefinitionFile(fixture('fargate-web-firelens.yaml'));
    const [web] = td['containerDefinitions'] as { environment: { name: string; value: string }[] }[];
    expect(web?.environment).toEqual([
      { name: 'FEATURE_FLAGS', value: '' },
      { name: 'DATABASE_OPTIONS', value: 'sslmode=require&pool=10' },
      { name: 'JAVA_OPTS', value: '-Dfile.encoding=UTF-8 -Xmx512m' },
      { name: 'PORT', value: '8080' },
    ]);
  });

  it('unwraps `aws ecs describe-task-definition` output to the task definition itself', async () => {
    const td = await loadTaskDefinitionFile(fixture('describe-task-definition.json'));
    expect(td['taskDefinitionArn']).toBe(
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/billing-worker:42',
    );
    expect(td).not.toHaveProperty('taskDefinition');
  });

  it.each([
    ['trailing-comma.json', /is not valid JSON: line 6, column 1: /],
    ['bad-token.taskdef', /is not valid JSON: line 3, column 57: Unexpected token/],
    ['bad-indent.yaml', /is not valid YAML: line 5, column 1: /],
    ['list.json', /holds a list: expected an object\.$/],
    ['no-containers.yaml', /has no 'containerDefinitions' list/],
    ['missing.json', /does not exist\.$/],
    ['', /is a directory, not a file\.$/],
  ])('rejects %s with a one-line UserError naming the file', async (file, message) => {
    const err = await failure(loadTaskDefinitionFile(fixture(file)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`'${fixture(file)}'`);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  it('does not quote the file contents in a JSON error (they may hold secrets)', async () => {
    const err = await failure(loadTaskDefinitionFile(fixture('bad-token.taskdef')));
    expect(err.message).not.toContain('"image"');
  });

  it.each([
    ['empty.json', '', /is empty\.$/],
    ['null.yaml', 'null\n', /holds null: expected an object\.$/],
    ['string.yml', 'just words\n', /holds a string: expected an object\.$/],
    ['empty-list.json', '{"family": "x", "containerDefinitions": []}', /no 'containerDefinitions' list/],
    ['bad-entry.json', '{"containerDefinitions": ["web"]}', /every entry of 'containerDefinitions'/],
    ['two-docs.yaml', 'a: 1\n---\nb: 2\n', /not valid YAML: line 2, column 1: a second document starts here/],
    [
      'truncated.json',
      '{\n  "family": "x",\n  "containerDefinitions": [\n',
      /line 4, column 1: Unexpected end/,
    ],
  ])('rejects %s', async (name, content, message) => {
    await writeFile(join(scratch, name), content);
    const err = await failure(loadTaskDefinitionFile(join(scratch, name)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(message);
  });

  it('ignores a byte-order mark', async () => {
    await writeFile(join(scratch, 'bom.json'), '\uFEFF{"containerDefinitions": [{"name": "web"}]}');
    expect(containerNames(await loadTaskDefinitionFile(join(scratch, 'bom.json')))).toEqual(['web']);
  });
});

describe('loadRunningTaskDefinition', () => {
  const arn = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:17';

  it('loads the revision the described service runs, with its tags', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn, include: ['TAGS'] }).resolves({
      taskDefinition: {
        family: 'shop-web',
        revision: 17,
        containerDefinitions: [{ name: 'web', image: 'x' }],
      },
      tags: [{ key: 'team', value: 'shop' }],
    });
    const service = { serviceName: 'web', status: 'ACTIVE', taskDefinition: arn };
    const loaded = await loadRunningTaskDefinition(new ECSClient({ region: 'eu-west-1' }), service, 'prod');
    expect(loaded.arn).toBe(arn);
    expect(loaded.tags).toEqual([{ key: 'team', value: 'shop' }]);
    expect(loaded.taskDefinition['family']).toBe('shop-web');
    ecs.restore();
  });

  it('rejects a service without a task definition with a UserError naming service and cluster', async () => {
    const ecs = mockClient(ECSClient);
    const err = await failure(
      loadRunningTaskDefinition(new ECSClient({ region: 'eu-west-1' }), { serviceName: 'web' }, 'prod'),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe("Service 'web' in cluster 'prod' has no task definition.");
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0);
    ecs.restore();
  });
});

describe('loadTaskDefinitionFile refuses what is not plain data, naming the file and the line', () => {
  it.each([
    [
      'tag.yaml',
      'family: !!js/function "function () { return 1 }"\ncontainerDefinitions:\n  - name: web\n',
      'is not valid YAML: line 1, column 9: the tag !!js/function is not plain data (write the value itself).',
    ],
    ['custom-tag.yaml', 'family: !secret x\n', 'line 1, column 9: the tag !secret is not plain data'],
    [
      'alias.yaml',
      'family: web\ncontainerDefinitions:\n  - name: *b\n',
      'is not valid YAML: line 3, column 11: the alias *b has no anchor &b before it.',
    ],
    [
      'laughs.yaml',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      'line 2, column 8: its aliases expand more than 100 times (a "billion laughs" file?)',
    ],
  ])('%s', async (name, text, message) => {
    const path = join(scratch, name);
    await writeFile(path, text);
    const err = await failure(loadTaskDefinitionFile(path));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`Task definition file '${path}' `);
    expect(err.message).toContain(message);
  });

  it('refuses a file far over ECS limit before reading it', async () => {
    const path = join(scratch, 'huge.json');
    await writeFile(path, `{"family": "x", "pad": "${'x'.repeat(7 * 1024 * 1024)}"}`);
    const err = await failure(loadTaskDefinitionFile(path));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `Task definition file '${path}' is 7.0 MiB: expected a file under 1 MiB (ECS takes at most 64 KiB of task definition).`,
    );
  });

  it('reads __proto__ as an own key, never as the prototype', async () => {
    const path = join(scratch, 'proto.yaml');
    await writeFile(path, '__proto__: {polluted: true}\nfamily: x\ncontainerDefinitions: [{name: web}]\n');
    const td = await loadTaskDefinitionFile(path);
    expect(Object.hasOwn(td, '__proto__')).toBe(true);
    expect((td as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
