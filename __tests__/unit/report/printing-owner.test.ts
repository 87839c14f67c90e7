import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

// Printing has one owner: a log call anywhere else in src/ would skip the inert printer (report/log.ts).
// These run the project's own eslint config, so a rule that stops catching a way round it fails here.
const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

const PRINTING_RULES = new Set(['no-console', 'no-restricted-syntax', 'no-restricted-imports']);

async function printingProblems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => PRINTING_RULES.has(m.ruleId ?? '')).map((m) => m.message);
}

const BYPASSES: Array<[string, string]> = [
  ['console.log', "console.log('Registered', arn);"],
  ['console.error', 'console.error(err);'],
  ['process.stdout.write', "process.stdout.write('::warning::x\\n');"],
  ['process.stderr.write', "process.stderr.write('x');"],
  ["process['stdout']", "process['stdout'].write('x');"],
  ['a stream kept aside', 'const out = process.stdout; out.write("x");'],
  ['core.info', "import * as core from '@actions/core'; core.info('x');"],
  ['a named core import', "import { warning } from '@actions/core'; warning('x');"],
  ['core loaded when used', "const core = await import('@actions/core'); core.error('x');"],
  ['exec, which echoes', "import { exec } from '@actions/exec'; await exec('docker', ['ps']);"],
];

describe('a log call outside src/report/ fails the lint', () => {
  it.each(BYPASSES)('%s in a stage', async (_name, code) => {
    expect(await printingProblems(code, 'src/deploy/new-stage.ts')).not.toEqual([]);
  });

  it.each(BYPASSES.filter(([name]) => !/core|exec/.test(name)))(
    '%s in report/ outside log.ts',
    async (_name, code) => {
      expect(await printingProblems(code, 'src/report/new-section.ts')).not.toEqual([]);
    },
  );

  it('report/ may use @actions/core (outputs, summary, state), and log.ts alone writes stdout', async () => {
    expect(
      await printingProblems(
        "import * as core from '@actions/core'; core.setOutput('a', 'b');",
        'src/report/outputs.ts',
      ),
    ).toEqual([]);
    expect(await printingProblems("process.stdout.write('x');", 'src/report/log.ts')).toEqual([]);
  });

  it('printing through the Logger passes', async () => {
    const code = "import { stepLog } from '../report/log.js'; stepLog.info('Registered');";
    expect(await printingProblems(code, 'src/deploy/new-stage.ts')).toEqual([]);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

it('no file of src/ prints around report/log.ts', async () => {
  const files = await sourceFiles(join(root, 'src'));
  const results = await eslint.lintFiles(files);
  const problems = results.flatMap((r) =>
    r.messages
      .filter((m) => PRINTING_RULES.has(m.ruleId ?? ''))
      .map((m) => `${relative(root, r.filePath)}:${m.line} ${m.message}`),
  );
  expect(problems).toEqual([]);
});
