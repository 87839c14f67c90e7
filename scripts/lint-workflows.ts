// `npm run lint` checks every workflow under .github/workflows against GitHub's workflow schema (and the
// job graph: `needs` naming a job that does not exist) with action-validator, a wasm build that installs
// from npm (actionlint is a Go binary, not on npm's registry for this machine).
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One line per problem: the innermost detail of each failed branch, with its path in the document. */
export function workflowProblems(source: string): string[] {
  const lines = new Set<string>();
  const walk = (errors: ValidationError[]) => {
    for (const e of errors) {
      const nested = 'states' in e ? (e.states ?? []).flatMap((s) => s.errors) : [];
      if (nested.length > 0) walk(nested);
      else lines.add(`${'path' in e ? e.path : ''}: ${e.detail ?? e.title}`);
    }
  };
  walk(validateWorkflow(source).errors);
  return [...lines];
}

async function main(): Promise<void> {
  const dir = join(import.meta.dirname, '..', '.github', 'workflows');
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  let failed = false;
  for (const file of files) {
    const problems = workflowProblems(await readFile(join(dir, file), 'utf8'));
    for (const p of problems) console.error(`.github/workflows/${file} ${p}`);
    failed ||= problems.length > 0;
  }
  if (failed) process.exit(1);
  console.log(`workflows: ${files.length} checked (${files.join(', ')})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
