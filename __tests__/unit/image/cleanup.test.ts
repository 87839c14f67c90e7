import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ExecOutput } from '@actions/exec';

// The post step as the runner sees it: STATE_registry in, workflow commands out on stdout.
const calls: string[] = [];
let logout: Partial<ExecOutput> | Error = {};

jest.unstable_mockModule('@actions/exec', () => ({
  getExecOutput: async (tool: string, args: string[]): Promise<ExecOutput> => {
    calls.push(`${tool} ${args.join(' ')}`);
    if (logout instanceof Error) throw logout;
    return { exitCode: 0, stdout: '', stderr: '', ...logout };
  },
}));

const { run } = await import('../../../src/cleanup.js');

let stdout: string[];

async function runPostStep(registry?: string): Promise<string[]> {
  if (registry === undefined) delete process.env.STATE_registry;
  else process.env.STATE_registry = registry;
  await run();
  return stdout.join('').split('\n').slice(0, -1);
}

beforeEach(() => {
  calls.length = 0;
  logout = {};
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.STATE_registry;
  process.exitCode = undefined;
});

describe('post step', () => {
  it('does nothing when imported: the entry (or a harness such as local-action) calls run()', () => {
    expect(calls).toEqual([]);
  });

  it('logs out of the registry the main step logged in to', async () => {
    const lines = await runPostStep('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(calls).toEqual(['docker logout 123456789012.dkr.ecr.eu-west-1.amazonaws.com']);
    expect(lines).toEqual(['Logged out of 123456789012.dkr.ecr.eu-west-1.amazonaws.com.']);
  });

  it.each([
    ['no state saved', undefined],
    ['an empty state', ''],
  ])('does nothing when the main step never logged in (%s)', async (_case, registry) => {
    expect(await runPostStep(registry)).toEqual(['No docker login to undo.']);
    expect(calls).toEqual([]);
  });

  it.each([
    [
      'docker logout fails',
      { exitCode: 1, stderr: 'permission denied\n' },
      '::warning::Post step: could not log out of the registry: docker logout 127.0.0.1:5000 failed: permission denied',
    ],
    [
      'docker is not installed',
      new Error('Unable to locate executable file: docker'),
      '::warning::Post step: could not log out of the registry: Unable to locate executable file: docker',
    ],
    [
      // Inert (report/log.ts): the line break is shown, so the message cannot start a new command.
      'the error spans lines',
      new Error('100% broken\r\n::error::not a command'),
      '::warning::Post step: could not log out of the registry: 100%25 broken\\r\\n::error::not a command',
    ],
  ])('only warns when %s', async (_case, behaviour, warning) => {
    logout = behaviour;
    expect(await runPostStep('127.0.0.1:5000')).toEqual([warning]);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
