import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as core from '@actions/core';
import { UserError } from '../../../src/errors.js';
import { reportFailure } from '../../../src/report/failure.js';
import { command, inert, mask, stepLog } from '../../../src/report/log.js';
import { workflowCommands } from '../../../sandbox/runner.js';

// What reached the runner, as one string.
let printed = '';
beforeEach(() => {
  printed = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed += String(chunk);
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
});

/** What the call printed. */
async function print(fn: () => unknown): Promise<string> {
  printed = '';
  await fn();
  return printed;
}

describe('the step log prints what @actions/core printed for the same call', () => {
  const texts = ['Registered web:7', '100% done', 'a: b :: c'];

  it.each(texts)('info(%j)', async (text) => {
    expect(await print(() => stepLog.info(text))).toBe(await print(() => core.info(text)));
  });

  it.each(texts)('warning(%j)', async (text) => {
    expect(await print(() => stepLog.warning(text))).toBe(await print(() => core.warning(text)));
  });

  it.each(['AWS:pa%ss', 'two\nlines', '::warning::x'])('mask(%j)', async (secret) => {
    expect(await print(() => mask(secret))).toBe(await print(() => core.setSecret(secret)));
  });

  it('group, around the work, and its value', async () => {
    const ours = await print(async () => {
      expect(await stepLog.group('Publish web:1', async () => (stepLog.info('inside'), 7))).toBe(7);
    });
    const theirs = await print(() => core.group('Publish web:1', async () => core.info('inside')));
    expect(ours).toBe(theirs);
    expect(ours).toBe('::group::Publish web:1\ninside\n::endgroup::\n');
  });

  it('closes the group when the work throws', async () => {
    await expect(
      stepLog.group('Scan gate', async () => {
        throw new UserError('blocked');
      }),
    ).rejects.toThrow('blocked');
    expect(printed).toBe('::group::Scan gate\n::endgroup::\n');
  });
});

describe('reportFailure', () => {
  it('prints the error line as core.setFailed does, and fails the step', async () => {
    const err = new UserError("Input 'cluster' is 'x y': expected a name.");
    const ours = await print(() => reportFailure(err));
    expect(process.exitCode).toBe(1);
    expect(ours).toBe(await print(() => core.setFailed(err.message)));
  });

  it('adds the stack to the debug log only for an error that is not the user’s', async () => {
    const err = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const lines = (await print(() => reportFailure(err))).split('\n');
    expect(lines[0]).toBe('::error::TimeoutError: socket hang up');
    expect(lines[1]).toBe('::debug::TimeoutError: socket hang up');
    expect(lines[2]).toMatch(/^::debug:: {4}at /);
    expect(await print(() => reportFailure(new UserError('bad input')))).toBe('::error::bad input\n');
  });
});

// What a file, an input, AWS or a registry could hold to write a command of its own into the log.
const HOSTILE = [
  'web\n::warning::PWNED',
  'E\r::set-output name=X::1',
  'a\r\n::add-mask::PWNED',
  '::stop-commands::PWNED',
  '  ::error::PWNED',
  '\u00a0\u3000::error::PWNED',
  'x\u2028::warning::PWNED',
  'x\u2029::warning::PWNED',
  'x\u0085::warning::PWNED',
  'x\v::warning::PWNED\f::notice::PWNED',
  'see ##[warning]PWNED',
  '##[set-env name=A;]PWNED',
  '\u001b[2K\u001b[1A::warning::PWNED',
  'tab\tstays',
  '\u202eevil',
];

describe('text from elsewhere is printed inert', () => {
  const printers: Array<[string, (text: string) => unknown]> = [
    ['info', (t) => stepLog.info(t)],
    ['info, mid-line', (t) => stepLog.info(`Containers to update: ${t}`)],
    ['warning', (t) => stepLog.warning(t)],
    ['group', (t) => stepLog.group(t, async () => undefined)],
    ['error', (t) => reportFailure(new UserError(t))],
    [
      'a stack in the debug log',
      (t) => reportFailure(Object.assign(new Error(t), { stack: `Error: ${t}\n    at x` })),
    ],
    ['a title', (t) => command('warning', 'body', { title: t })],
  ];
  const cases = printers.flatMap(([name, printer]) => HOSTILE.map((text) => [name, text, printer] as const));

  it.each(cases)('%s of %j: one line, no command of its own', async (_name, text, printer) => {
    const out = await print(() => printer(text));
    const own = new Set(['group', 'endgroup', 'warning', 'error', 'debug']);
    for (const c of workflowCommands(out)) {
      expect(own).toContain(c.command);
      expect(c.data).not.toMatch(/^PWNED/);
    }
    expect(out).not.toContain('##[');
    expect(
      out
        .split('\n')
        .slice(0, -1)
        .every((l) => !/[\r\u2028\u2029\u0085\v\f\u001b]/.test(l)),
    ).toBe(true);
  });

  it.each([
    ['web\n::warning::X', 'web\\n::warning::X'],
    ['E\r::set-output name=X::1', 'E\\r::set-output name=X::1'],
    ['a\r\nb\u2028c', 'a\\r\\nb\\u2028c'],
    ['\u001b[31mred', '\\u001b[31mred'],
    ['::warning::X', ':\u200b:warning::X'],
    ['  ::error::X', '  :\u200b:error::X'],
    ['a ##[b] ##[c]', 'a #\u200b#[b] #\u200b#[c]'],
    ['tab\there, a::b', 'tab\there, a::b'],
  ])('inert(%j) reads %j', (text, shown) => {
    expect(inert(text)).toBe(shown);
  });

  it('a title property cannot end the command early', async () => {
    expect(await print(() => command('warning', '50%', { title: 'a, b: c' }))).toBe(
      '::warning title=a%2C b%3A c::50%25\n',
    );
  });
});
