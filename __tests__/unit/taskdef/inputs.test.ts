import { describe, expect, it } from '@jest/globals';
import {
  parseCommand,
  parseKeyedChanges,
  pushesImage,
  readTaskDefinitionInputs,
} from '../../../src/inputs/taskdef.js';
import { readInputs } from '../../../src/inputs.js';

const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

describe('parseKeyedChanges', () => {
  it.each([
    ['A=1', { set: [['A', '1']], remove: [] }],
    ['URL=postgres://h/db?a=1&b=2', { set: [['URL', 'postgres://h/db?a=1&b=2']], remove: [] }],
    ['EMPTY=', { set: [['EMPTY', '']], remove: [] }],
    ['SPACES=  two  ', { set: [['SPACES', '  two  ']], remove: [] }],
    ['-OLD\n\n  B=x\r\n', { set: [['B', 'x']], remove: ['OLD'] }],
    ['-WEIRD=1', { set: [['-WEIRD', '1']], remove: [] }],
  ])('parses %j', (raw, expected) => {
    expect(parseKeyedChanges('environment-variables', raw, 'NAME=value')).toEqual(expected);
  });

  it.each([
    [
      'JUSTAKEY',
      "Input 'environment-variables' is 'JUSTAKEY': expected NAME=value lines of KEY=value, or -KEY",
    ],
    ['=value', "Input 'environment-variables' is '=value'"],
    ['A B=1', "Input 'environment-variables' is 'A B=1'"],
    ['A=1\nA=2', "Input 'environment-variables' names 'A' more than once."],
  ])('refuses %j', (raw, message) => {
    expect(() => parseKeyedChanges('environment-variables', raw, 'NAME=value')).toThrow(message);
  });
});

describe('parseCommand', () => {
  it.each([
    ['', undefined],
    ['["node", "a b.js"]', ['node', 'a b.js']],
    [`node 'a b.js' --x="1 2"`, ['node', 'a b.js', '--x=1 2']],
  ])('parses %j', (raw, expected) => {
    expect(parseCommand(raw)).toEqual(expected);
  });

  it.each([
    ['["node", 1]', "Input 'command' is '[\"node\", 1]': expected a JSON array of strings"],
    ['[]', "Input 'command' is '[]'"],
    ['[node', "Input 'command' is '[node'"],
    [`echo 'x`, 'unterminated single quote'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseCommand(raw)).toThrow(message);
  });
});

describe('readTaskDefinitionInputs', () => {
  it('reads name and name=IMAGE lines, and every per-step input', () => {
    const inputs = readTaskDefinitionInputs(
      reader({
        containers:
          'web\nworker=ghcr.io/acme/worker@sha256:abababababababababababababababababababababababababababababababab, web',
        cpu: '0.5 vCPU',
        memory: '1 GB',
        'task-role-arn': 'arn:aws:iam::123456789012:role/app',
        'env-files': 'arn:aws:s3:::bucket/app.env',
        'allow-unknown-keys': 'true',
        'dry-run': 'yes',
      }),
    );
    expect(inputs).toMatchObject({
      containers: ['web', 'worker'],
      images: {
        worker: 'ghcr.io/acme/worker@sha256:abababababababababababababababababababababababababababababababab',
      },
      changes: { cpu: '0.5 vCPU', memory: '1 GB', envFiles: ['arn:aws:s3:::bucket/app.env'] },
      allowUnknownKeys: true,
      dryRun: true,
    });
    expect(pushesImage(inputs)).toBe(true);
  });

  it.each([
    [{ containers: 'web=' }, "Input 'containers' is 'web=': expected name=IMAGE"],
    [{ containers: 'we b' }, "Input 'containers' is 'we b'"],
    [
      { containers: 'web=::warning::x' },
      "Input 'containers' is 'web=::warning::x': expected name=IMAGE with",
    ],
    [{ containers: 'web=nginx@sha256:12' }, 'name=IMAGE with a digest of the form @sha256:<64 hex digits>'],
    [{ cpu: 'lots' }, "Input 'cpu' is 'lots': expected CPU units such as 256, or 0.5 vCPU."],
    [{ memory: '1 TB' }, "Input 'memory' is '1 TB'"],
    [{ 'task-role-arn': 'arn:aws:iam::1:user/x' }, "Input 'task-role-arn' is 'arn:aws:iam::1:user/x'"],
    [
      { 'env-files': 's3://bucket/app.env' },
      "Input 'env-files' is 's3://bucket/app.env': expected S3 object ARNs",
    ],
    [{ 'dry-run': 'perhaps' }, "Input 'dry-run' is 'perhaps': expected true or false."],
  ])('refuses %j with one line', (values, message) => {
    expect(() => readTaskDefinitionInputs(reader(values))).toThrow(message);
  });
});

describe('image inputs with name=IMAGE containers', () => {
  const env = { AWS_REGION: 'eu-west-1' };
  it('are not needed when every container names its own image', () => {
    const inputs = readInputs(
      reader({ service: 'web', containers: 'web=nginx:1.27\nsidecar=busybox:1' }),
      env,
    );
    expect(inputs.image).toBeUndefined();
    expect(pushesImage(inputs.taskDefinition)).toBe(false);
  });

  it('are required as soon as one container takes the pushed image', () => {
    expect(() => readInputs(reader({ service: 'web', containers: 'web\nsidecar=busybox:1' }), env)).toThrow(
      "Input 'image' is required",
    );
  });

  it('refuse an image nothing would use', () => {
    expect(() =>
      readInputs(reader({ service: 'web', image: 'app:1', containers: 'web=nginx:1' }), env),
    ).toThrow("Input 'image' is set, but every line of 'containers' names its own image");
  });
});
