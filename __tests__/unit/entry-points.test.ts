// GitHub's @github/local-action (`npx @github/local-action run . src/main.ts .env --post src/cleanup.ts`)
// imports the entry modules and calls their exported run(): importing one must do nothing by itself, or
// the step would run twice (and the post step at import).
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';

const written: string[] = [];
let spies: { mockRestore(): void }[] = [];

beforeEach(() => {
  written.length = 0;
  // Node's own notice that jest loads ES modules through vm is not the module's doing.
  const record = (chunk: unknown) => {
    if (!/ExperimentalWarning: VM Modules/.test(String(chunk))) written.push(String(chunk));
    return true;
  };
  spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
});
afterEach(() => spies.forEach((s) => s.mockRestore()));

describe('entry points', () => {
  it.each(['../../src/main.js', '../../src/cleanup.js'])(
    '%s exports run() and does nothing when imported',
    async (path) => {
      const exitCode = process.exitCode;
      const module = (await import(path)) as { run?: unknown };
      // Give anything started at import time a turn of the event loop to show itself.
      await new Promise((resolve) => setImmediate(resolve));
      expect(typeof module.run).toBe('function');
      expect({ path, written, exitCode: process.exitCode }).toEqual({ path, written: [], exitCode });
    },
  );

  it('the post step run() of a step that logged into nothing says so, and fails nothing', async () => {
    const { run } = (await import('../../src/cleanup.js')) as { run: () => Promise<void> };
    const saved = process.env.STATE_registry;
    delete process.env.STATE_registry;
    try {
      await run();
    } finally {
      if (saved !== undefined) process.env.STATE_registry = saved;
    }
    expect(written.join('')).toContain('No docker login to undo.');
    expect(process.exitCode ?? 0).toBe(0);
  });
});
