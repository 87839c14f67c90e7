// The fast path of the fuzz suite, run on node 24 as `node harness.mjs BUNDLE_DIR`: the shipped bundle's
// entry (index.js) evaluated afresh for each case (a new module URL each time), with the case's environment
// as the runner gives it (INPUT_*, GITHUB_OUTPUT …) and its stdout/stderr captured. Only for cases the
// inputs refuse: the entry then loads none of the bundle's shared chunks, so no case sees another's state.
// Cases come as JSON lines on stdin ({ id, env, workDir }); each answer is a JSON line on stdout.
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = pathToFileURL(join(process.argv[2], 'index.js')).href;
const write = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};
const home = process.cwd();

for await (const line of createInterface({ input: process.stdin })) {
  const { id, env, workDir } = JSON.parse(line);
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
  process.chdir(workDir);
  process.exitCode = undefined;
  const captured = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr']) {
    process[stream].write = (chunk, ...rest) => {
      captured[stream] += String(chunk);
      const done = rest.find((r) => typeof r === 'function');
      if (done) done();
      return true;
    };
  }
  let crashed;
  try {
    await import(`${entry}?case=${id}`);
  } catch (err) {
    crashed = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  process.stdout.write = write.stdout;
  process.stderr.write = write.stderr;
  process.chdir(home);
  const code = crashed ? 1 : Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  // One line for the reader, which also ends lines at U+2028/9 (JSON leaves them raw).
  const answer = JSON.stringify({ id, code, crashed, ...captured });
  write.stdout(`${answer.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}\n`);
}
