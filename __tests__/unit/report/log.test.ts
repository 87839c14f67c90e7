import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as core from '@actions/core';
import { UserError } from '../../../src/errors.js';
import { reportFailure } from '../../../src/report/failure.js';
import { mask, stepLog } from '../../../src/report/log.js';

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
  const texts = ['Registered web:7', 'line one\nline two', '100% done\r'];

  it.each(texts)('info(%j)', async (text) => {
    expect(await print(() => stepLog.info(text))).toBe(await print(() => core.info(text)));
  });

  it.each(texts)('warning(%j)', async (text) => {
    expect(await print(() => stepLog.warning(text))).toBe(await print(() => core.warning(text)));
  });

  it.each(['AWS:pa%ss', 'two\nlines'])('mask(%j)', async (secret) => {
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
    const err = new UserError("Input 'cluster' is 'x\ny': expected a name.");
    const ours = await print(() => reportFailure(err));
    expect(process.exitCode).toBe(1);
    expect(ours).toBe(await print(() => core.setFailed(err.message)));
  });

  it('adds the stack to the debug log only for an error that is not the user’s', async () => {
    const err = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const lines = (await print(() => reportFailure(err))).split('\n');
    expect(lines[0]).toBe('::error::TimeoutError: socket hang up');
    expect(lines[1]).toMatch(/^::debug::TimeoutError: socket hang up%0A {4}at /);
    expect(await print(() => reportFailure(new UserError('bad input')))).toBe('::error::bad input\n');
  });
});
