import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ExecOutput } from '@actions/exec';

// The post step runs as soon as it is imported (it is an entry point), so each test imports it afresh.
const log: string[] = [];
let state: Record<string, string> = {};
let logout: Partial<ExecOutput> | Error = {};

jest.unstable_mockModule('@actions/exec', () => ({
  getExecOutput: async (tool: string, args: string[]): Promise<ExecOutput> => {
    log.push(`exec ${tool} ${args.join(' ')}`);
    if (logout instanceof Error) throw logout;
    return { exitCode: 0, stdout: '', stderr: '', ...logout };
  },
}));
jest.unstable_mockModule('@actions/core', () => ({
  getState: (name: string) => state[name] ?? '',
  info: (m: string) => log.push(`info ${m}`),
  warning: (m: string) => log.push(`warning ${m}`),
  setFailed: (m: string) => log.push(`setFailed ${m}`),
  error: (m: string) => log.push(`error ${m}`),
  saveState: () => undefined,
}));

async function runPostStep(): Promise<void> {
  jest.resetModules();
  const { done } = await import('../../../src/cleanup.js');
  await done;
}

beforeEach(() => {
  log.length = 0;
  state = {};
  logout = {};
});

describe('post step', () => {
  it('logs out of the registry the main step logged in to', async () => {
    state = { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' };
    await runPostStep();
    expect(log).toEqual([
      'exec docker logout 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'info Logged out of 123456789012.dkr.ecr.eu-west-1.amazonaws.com.',
    ]);
  });

  it('does nothing when the main step never logged in', async () => {
    await runPostStep();
    expect(log).toEqual(['info No docker login to undo.']);
  });

  it.each([
    [
      'docker logout fails',
      { exitCode: 1, stderr: 'permission denied\n' },
      /could not log out .*permission denied/,
    ],
    ['docker is not installed', new Error('Unable to locate executable file: docker'), /Unable to locate/],
  ])('only warns when %s', async (_case, behaviour, message) => {
    state = { registry: '127.0.0.1:5000' };
    logout = behaviour;
    await runPostStep();
    expect(log[1]).toMatch(/^warning Post step: /);
    expect(log[1]).toMatch(message);
    expect(log.some((l) => l.startsWith('setFailed') || l.startsWith('error'))).toBe(false);
  });
});
