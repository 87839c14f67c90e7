import fc from 'fast-check';

// Generated bad input sets: one input of action.yml given a value it must refuse, in a context where it is
// read, the rest valid. Each value may carry text written to take over the log (a line break and a
// workflow command), so the refusal's one line is also a test of the inert printer.

/** Text that, printed raw, would start a workflow command of its own; each command's data begins PWNED. */
export const PAYLOADS = [
  '\n::warning::PWNED-lf',
  '\r::set-output name=PWNED::1',
  '\r\n::add-mask::PWNED-crlf',
  '\u2028::warning::PWNED-ls',
  '\u0085::error::PWNED-nel',
  '\n  ::error title=PWNED::PWNED-indented',
  '\n::stop-commands::PWNED-stop',
  ' ##[warning]PWNED-v1',
  '\u001b[2K::warning::PWNED-ansi',
];

/** The secret of every case: the AWS secret key, the session token and a registry password contain it. */
export const MARKER = `MARKER${Math.random().toString(36).slice(2, 10)}`;

const LOCAL_IMAGE = 'fuzz-app:1';
export const OWN_IMAGE = 'public.ecr.aws/nginx/nginx:1.27';

/** The valid inputs each case starts from: a container naming its own image (nothing pushed) … */
const CONTAINERS = { service: 'fuzz', containers: `web=${OWN_IMAGE}`, 'poll-seconds': '0.2' };
/** … or a local image pushed to ECR, for the inputs read only then. */
const PUSH = { service: 'fuzz', image: LOCAL_IMAGE, repository: 'fuzz', tags: 'v1', 'poll-seconds': '0.2' };

export interface BadInputCase {
  input: string;
  inputs: Record<string, string>;
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const payload = fc.option(fc.constantFrom(...PAYLOADS), { nil: '' });
/** Any text at all but blank: for an input that is refused whatever it holds, out of its context. */
const anything = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((s) => s.trim() !== '');

const TRUTHY = ['true', 'yes', '1', 'on', 'false', 'no', '0', 'off'];
const notBoolean = fc.oneof(
  fc.constantFrom('maybe', 'truee', 'y', 'n', '2', '-1', 'enabled', 'true false'),
  word.filter((w) => !TRUTHY.includes(w)),
);

function notNumber(min: number, max: number, integer = false): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('abc', '-5', '1e3', '0x10', '1 2', 'NaN', 'Infinity', '1,5', '+3', `${max + 1}`),
    fc.integer({ min: max + 1, max: max * 1000 + 1000 }).map(String),
    ...(min > 0 ? [fc.constant('0')] : []),
    ...(integer ? [fc.integer({ min: 0, max: 100 }).map((n) => `${n}.5`)] : []),
  );
}

function notChoice(choices: string[]): fc.Arbitrary<string> {
  const taken = new Set(choices.map((c) => c.toLowerCase()));
  return fc.oneof(
    word.filter((w) => !taken.has(w)),
    fc.constantFrom(...choices.map((c) => `${c}X`), ...choices.map((c) => `${c} ${c}`)),
  );
}

/** A name with a character names never have (the payload may add more). */
const notName = fc.oneof(
  fc.tuple(word, fc.constantFrom(' ', '!', '$', '"', '*', '\u00e9', ';', '#'), word).map((p) => p.join('')),
  fc.constant('x'.repeat(256)),
);

const notKeyValue = fc.oneof(
  fc.constantFrom('=x', 'A B=1', 'novalue', 'A=1\nA=2', ' =1'),
  word.map((w) => `${w}`),
);

type Context = Record<string, string>;
interface Entry {
  input: string;
  context: Context;
  bad: fc.Arbitrary<string>;
}
const entry = (input: string, context: Context, bad: fc.Arbitrary<string>): Entry => ({
  input,
  context,
  bad,
});
const inPush = (input: string, bad: fc.Arbitrary<string>, extra: Context = {}) =>
  entry(input, { ...PUSH, ...extra }, bad);
const inContainers = (input: string, bad: fc.Arbitrary<string>, extra: Context = {}) =>
  entry(input, { ...CONTAINERS, ...extra }, bad);

const CREATE = { 'create-repository': 'true' };
const SCAN = { 'fail-on-severity': 'HIGH' };
const RUN_TASK = { 'run-task': 'true' };
const ROLE = { 'role-to-assume': 'arn:aws:iam::123456789012:role/deploy' };
const PREVIEW = { preview: 'true' };
const ENVIRONMENT = { environment: 'staging' };

/** Every input of action.yml, each with values it must refuse (and where it is read). */
const ENTRIES: Entry[] = [
  inPush(
    'image',
    fc.oneof(
      fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
      fc.constantFrom('ghcr.io/UPPER:1', 'ghcr.io/app:-tag', 'oci-layout:'),
    ),
  ),
  inPush(
    'repository',
    fc.oneof(
      fc.constantFrom('UPPER', 'a//b', '-x', 'x-', 'a b', 'a:b'),
      notName.filter((n) => n.length < 256),
    ),
  ),
  inPush('tags', fc.oneof(fc.constantFrom('-x', '.x', 'a/b', 'a:b', 'x'.repeat(129), 'v1 v2'), notName)),
  inPush('source-username', anything),
  inPush('source-password', fc.constant(`${MARKER}-password`), { 'source-username': 'fuzzer' }),
  inPush(
    'registry',
    fc.constantFrom('12345', 'not a registry', 'ecr.aws', 'http://x', '1234567890123', 'public.ecr.aws/UP'),
  ),
  inPush('create-repository', notBoolean),
  ...['image-tag-mutability', 'scan-on-push', 'encryption-type', 'kms-key'].map((i) => inPush(i, anything)),
  inPush('image-tag-mutability', notChoice(['MUTABLE', 'IMMUTABLE']), CREATE),
  inPush('scan-on-push', notBoolean, CREATE),
  inPush('encryption-type', notChoice(['AES256', 'KMS', 'KMS_DSSE']), CREATE),
  inPush(
    'kms-key',
    fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
    CREATE,
  ),
  inPush('fail-on-severity', notChoice(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'])),
  inPush('scan-timeout-seconds', anything),
  inPush('scan-timeout-seconds', notNumber(1, 3600), SCAN),
  inPush('scan-unavailable', anything),
  inPush('scan-unavailable', notChoice(['fail', 'warn']), SCAN),
  inContainers('containers', fc.oneof(notName, fc.constantFrom('web=a b', '=img', 'web=a\tb'))),
  ...['environment-variables', 'secrets', 'docker-labels', 'log-configuration-options'].map((i) =>
    inContainers(i, notKeyValue),
  ),
  inContainers('command', fc.constantFrom('[1]', '[]', '["a",', '[null]', 'echo "hi', "echo 'hi")),
  inContainers(
    'env-files',
    fc.oneof(fc.constantFrom('file.env', 's3://b/k.env', 'arn:aws:s3:::bucket'), word),
  ),
  inContainers('cpu', fc.constantFrom('abc', '-1', '1.5.5', '256 MB', '0.5vcpus', 'one')),
  inContainers('memory', fc.constantFrom('x', '-1', '1 TB', '512MiB', '1.2.3', 'lots')),
  ...['task-role-arn', 'execution-role-arn'].map((i) =>
    inContainers(
      i,
      fc.oneof(
        fc.constantFrom('arn:aws:iam::123:role/x', 'a!b', 'x'.repeat(65), 'arn:aws:iam::123456789012:user/x'),
        notName,
      ),
    ),
  ),
  inContainers('allow-unknown-keys', notBoolean),
  inContainers('dry-run', notBoolean),
  inContainers('cluster', notName),
  inContainers(
    'service',
    fc.oneof(notName, fc.constantFrom('a,a', Array.from({ length: 30 }, (_, i) => `s${i}`).join(','))),
  ),
  inContainers('wait', notBoolean),
  inContainers('timeout-minutes', notNumber(1, 360)),
  inContainers('poll-seconds', notNumber(0.1, 300)),
  inContainers('rollback', notChoice(['auto', 'true', 'false'])),
  inContainers('desired-count', notNumber(0, 5000, true)),
  inContainers('force-new-deployment', notBoolean),
  inContainers(
    'run-task',
    fc.oneof(
      notBoolean.filter((v) => !v.startsWith('[')),
      fc.constantFrom('[1]', '[]', '["a",'),
    ),
  ),
  ...['run-task-container', 'run-task-subnets', 'run-task-security-groups', 'run-task-assign-public-ip'].map(
    (i) => inContainers(i, anything),
  ),
  inContainers('run-task-container', notName, RUN_TASK),
  inContainers('run-task-subnets', fc.oneof(word, fc.constantFrom('subnet_1', 'sg-1', 'subnet-')), RUN_TASK),
  inContainers(
    'run-task-security-groups',
    fc.oneof(word, fc.constantFrom('sg_1', 'subnet-1', 'sg-')),
    RUN_TASK,
  ),
  inContainers('run-task-assign-public-ip', notChoice(['ENABLED', 'DISABLED']), RUN_TASK),
  inContainers('keep-revisions', notNumber(0, 1000, true)),
  inContainers('deployment-strategy', notChoice(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'])),
  ...[
    'bake-time-minutes',
    'canary-percent',
    'canary-bake-minutes',
    'linear-step-percent',
    'linear-step-bake-minutes',
  ].map((i) => inContainers(i, fc.constantFrom('5', '10', '1'))),
  inContainers('bake-time-minutes', fc.constantFrom('abc', '-1', '1e9'), {
    'deployment-strategy': 'BLUE_GREEN',
  }),
  inContainers('canary-percent', fc.constantFrom('abc', '-1', '101', '0'), {
    'deployment-strategy': 'CANARY',
  }),
  inContainers('linear-step-percent', fc.constantFrom('abc', '-1', '101', '0'), {
    'deployment-strategy': 'LINEAR',
  }),
  inContainers('codedeploy-application', fc.oneof(word, notName)),
  inContainers('codedeploy-deployment-group', fc.oneof(word, notName)),
  inContainers(
    'role-to-assume',
    fc.oneof(
      notName,
      fc.constantFrom('deploy', 'arn:aws:iam::123:role/x', 'arn:aws:iam::123456789012:user/x'),
    ),
  ),
  ...['role-session-name', 'role-duration-seconds', 'role-external-id'].map((i) => inContainers(i, anything)),
  inContainers('role-session-name', fc.oneof(fc.constantFrom('a', 'x'.repeat(65)), notName), ROLE),
  inContainers('role-duration-seconds', notNumber(900, 43200, true), ROLE),
  // An external id is a shared secret: the marker in a bad one must not be shown either.
  inContainers('role-external-id', fc.constantFrom(`${MARKER} id`, `${MARKER}!`, 'a'), ROLE),
  inContainers('preview', notBoolean),
  inContainers('preview-delete-images', notBoolean),
  // Preview settings without `preview: true` are a mistake whatever their value.
  ...['preview-name', 'preview-desired-count', 'preview-listener-arn', 'preview-host'].map((i) =>
    inContainers(i, anything),
  ),
  inContainers('preview-name', fc.constantFrom('{service}', 'web-{nope}-{number}', 'web'), PREVIEW),
  inContainers('preview-desired-count', notNumber(0, 100, true), PREVIEW),
  inContainers(
    'preview-listener-arn',
    fc.constantFrom(
      'arn:aws:iam::123456789012:role/x',
      'listener',
      'arn:aws:elasticloadbalancing:us-east-1:1:x',
    ),
    PREVIEW,
  ),
  inContainers('preview-host', fc.constantFrom('a b', 'pr_{number}.x', '{nope}.example.com'), PREVIEW),
  inContainers('environment', fc.constantFrom('a\u0001b', 'x'.repeat(256), 'prod-{nope}')),
  inContainers('environment-url', fc.constantFrom('ftp://x', 'not a url', 'https://{nope}'), ENVIRONMENT),
  inContainers(
    'aws-region',
    fc.oneof(fc.constantFrom('US-EAST-1', 'us-east', 'mars', 'us_east_1', 'eu-west-1a'), word),
  ),
];

/**
 * Inputs no value of which is refused before AWS or GitHub answers: `audience` is any text, and only STS can
 * tell a wrong one (a read, not a write); `github-token` likewise, and only GitHub can tell.
 */
export const UNFUZZED_INPUTS = new Set(['audience', 'github-token']);

/** The inputs the table covers (the fuzz test checks it is every input of action.yml, but those above). */
export const FUZZED_INPUTS = new Set(ENTRIES.map((e) => e.input));

export const badInputCase: fc.Arbitrary<BadInputCase> = fc
  .constantFrom(...ENTRIES)
  .chain((e) =>
    fc
      .tuple(e.bad, payload)
      .map(([bad, tail]) => ({ input: e.input, inputs: { ...e.context, [e.input]: `${bad}${tail}` } })),
  );
