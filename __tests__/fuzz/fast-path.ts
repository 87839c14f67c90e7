import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DIST, node24, prepareStep, stepResult, type StepResult } from '../../sandbox/runner.js';

interface Answer {
  id: number;
  code: number;
  crashed?: string;
  stdout: string;
  stderr: string;
}

/** JSON on one line for readline, which also ends lines at U+2028/9 (JSON leaves them raw). */
function oneLine(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * One node 24 process that runs the shipped bundle's entry once per case (harness.mjs): a case the inputs
 * refuse costs an evaluation of index.js instead of a node start. The step's environment and files are
 * made as for a spawned step (sandbox/runner.ts prepareStep).
 */
export function startFastPath(): {
  run: (inputs: Record<string, string>, env: Record<string, string>) => Promise<StepResult>;
  stop: () => void;
} {
  const child = spawn(node24(), [join(import.meta.dirname, 'harness.mjs'), DIST], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = new Map<number, (answer: Answer) => void>();
  // Should the harness die, every waiting case ends as a crash rather than waiting for ever.
  child.on('exit', (code) => {
    for (const [id, done] of waiting)
      done({ id, code: -1, crashed: `the harness exited (${code})`, stdout: '', stderr: '' });
    waiting.clear();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as Answer;
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  let next = 0;
  return {
    run: async (inputs, env) => {
      const setup = await prepareStep({ inputs, env });
      const id = next++;
      const startedAt = Date.now();
      const answer = await new Promise<Answer>((done) => {
        waiting.set(id, done);
        child.stdin.write(`${oneLine({ id, env: setup.env, workDir: setup.workDir })}\n`);
      });
      // A crash would have printed its stack on the step's stderr.
      const stderr = answer.crashed ? `${answer.stderr}${answer.crashed}\n` : answer.stderr;
      return stepResult(setup, {
        code: answer.code,
        stdout: answer.stdout,
        stderr,
        startedAt,
        endedAt: Date.now(),
      });
    },
    stop: () => child.kill(),
  };
}
