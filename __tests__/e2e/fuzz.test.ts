import { afterAll, beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, workflowCommands, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';
import { startFastPath } from '../fuzz/fast-path.js';
import { FUZZED_INPUTS, MARKER, UNFUZZED_INPUTS, OWN_IMAGE, badInputCase } from '../fuzz/bad-inputs.js';
import {
  TASK_DEFINITION_CLASSES,
  badTaskDefinitionCase,
  type BadTaskDefinitionCase,
} from '../fuzz/bad-taskdefs.js';

// The action's own fuzz suite (issue 9): generated bad input sets and task-definition files, each run as the
// runner runs the action (the bundle on node 24, INPUT_* variables, file commands) against one sandbox.
// Each must fail with one inert ::error:: naming the input or the file, write nothing to AWS, and let no
// secret out. FUZZ_SEED reproduces a run; FUZZ_RUNS changes its size.
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const INPUT_RUNS = Number(process.env.FUZZ_RUNS ?? 950);
const FILE_RUNS = Number(process.env.FUZZ_FILE_RUNS ?? 50);
// Input cases run on the fast path (fast-path.ts: the bundle's entry evaluated per case in one node 24
// process), except these first ones, spawned as the runner does: the same promises, checked both ways.
const SPAWNED_INPUTS = 30;
const CONCURRENCY = 2;

const OWN_COMMANDS = new Set(['group', 'endgroup', 'warning', 'error', 'debug', 'add-mask']);

let environment: Environment;
let dir: string;
let argvLog: string;
let env: Record<string, string>;
let seedWrites: number;

beforeAll(async () => {
  environment = await startEnvironment({ docker: false });
  const ecs = sandboxEcs(environment.env);
  await seedService(ecs, {
    service: 'fuzz',
    desiredCount: 1,
    containers: [{ name: 'web', image: OWN_IMAGE, essential: true }],
  });
  await waitSteady(ecs, 'fuzz');
  seedWrites = environment.aws.writes().length;
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-fuzz-'));
  // Session keys whose secret and token hold the marker: the sandbox checks every signature with them.
  const role = environment.aws.iam.addRole('fuzz', { trustPolicy: { Statement: [] } });
  const session = environment.aws.iam.startSession(role, 'fuzz', 36_000, Date.now());
  session.secretAccessKey = `${MARKER}-secret-access-key`;
  session.sessionToken = `${MARKER}-session-token`;
  // `docker` first on PATH records its argv (NUL-separated, one call a line) before refusing to run.
  const bin = join(dir, 'bin');
  argvLog = join(dir, 'docker-argv');
  await mkdir(bin);
  await writeFile(argvLog, '');
  await writeFile(
    join(bin, 'docker'),
    `#!/bin/sh\nprintf '%s\\0' "$@" >> '${argvLog}'\necho >> '${argvLog}'\nexit 1\n`,
  );
  await chmod(join(bin, 'docker'), 0o755);
  env = {
    ...environment.env,
    AWS_ACCESS_KEY_ID: session.accessKeyId,
    AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
    AWS_SESSION_TOKEN: session.sessionToken,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
  };
}, 60_000);

afterAll(async () => {
  await environment?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every file the step left in its work directory (outputs, state, summary, env, the rendered file …). */
async function filesWritten(workDir: string): Promise<string> {
  const entries = await readdir(workDir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')),
  );
  return texts.join('\n');
}

interface Case {
  label: string;
  /** Spawned as the runner runs a step, or on the fast path (only cases the inputs refuse). */
  spawn: boolean;
  inputs: Record<string, string>;
  /** What the one error line must name (any of). */
  names: string[];
}

/** What went wrong with one run, or undefined when it kept every promise. */
async function check(step: StepResult, c: Case, writes: number): Promise<string | undefined> {
  const log = `${step.stdout}\n${step.stderr}`;
  const errors = errorLines(step);
  if (step.code === 0) return 'exited 0';
  if (errors.length !== 1) return `${errors.length} ::error:: lines`;
  if (!c.names.some((n) => errors[0]?.includes(n)))
    return `the error names none of ${c.names.join(', ')}: ${errors[0]}`;
  if (/^\s+at /m.test(log)) return 'a stack trace';
  if (writes > 0) return `${writes} AWS write(s) while it ran`;
  for (const command of workflowCommands(log)) {
    if (!OWN_COMMANDS.has(command.command) || command.data.startsWith('PWNED'))
      return `injected: ${command.line}`;
  }
  if (log.includes('##[')) return 'a ##[ command';
  // The runner consumes ::add-mask:: lines; anything else holding the marker leaks it.
  const shown = log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  const places: Array<[string, string]> = [
    ['stdout/stderr', shown],
    ['summary', step.summary],
    ['outputs', JSON.stringify(step.outputs)],
    ['files written', await filesWritten(step.workDir)],
    ["docker's argv", await readFile(argvLog, 'utf8')],
  ];
  const leak = places.find(([, text]) => text.includes(MARKER));
  return leak ? `the secret marker is in ${leak[0]}` : undefined;
}

type FastPath = ReturnType<typeof startFastPath>;

async function runCase(c: Case, fast: FastPath): Promise<string | undefined> {
  const writesBefore = environment.aws.writes().length;
  const main = c.spawn
    ? (await runAction({ inputs: c.inputs, env, post: false })).main
    : await fast.run(c.inputs, env);
  const problem = await check(main, c, environment.aws.writes().length - writesBefore);
  await rm(main.workDir, { recursive: true, force: true });
  return problem;
}

/** Runs the cases CONCURRENCY at a time; returns every failure with its case, for the seed to reproduce. */
async function runAll(cases: Case[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    const fast = startFastPath();
    try {
      while (next < cases.length) {
        const index = next++;
        const c = cases[index] as Case;
        if (process.env.FUZZ_TRACE)
          process.stderr.write(`start #${index} ${c.label} ${JSON.stringify(c.inputs)}\n`);
        const problem = await runCase(c, fast);
        if (process.env.FUZZ_TRACE) process.stderr.write(`end #${index}\n`);
        const how = c.spawn ? 'spawned' : 'fast path';
        if (problem)
          failures.push(`#${index} ${c.label} (${how}): ${problem}\n  inputs: ${JSON.stringify(c.inputs)}`);
      }
    } finally {
      fast.stop();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

async function fileCase(t: BadTaskDefinitionCase, index: number): Promise<Case> {
  const caseDir = join(dir, `td-${index}`);
  await mkdir(caseDir, { recursive: true });
  const path = join(caseDir, t.file);
  if (t.directory) await mkdir(path);
  else if (t.content !== undefined) await writeFile(path, t.content);
  return {
    label: `task definition: ${t.kind}`,
    spawn: true,
    inputs: {
      service: 'fuzz',
      containers: `web=${OWN_IMAGE}`,
      'poll-seconds': '0.2',
      'task-definition': path,
    },
    names: [path, "'task-definition'", "'containers'"],
  };
}

it('covers every input of action.yml and every class of bad task definition', async () => {
  const actionYml = await readFile(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8');
  const inputsBlock = actionYml.split(/^outputs:/m)[0] ?? '';
  const declared = [...inputsBlock.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1]);
  expect(
    declared.filter(
      (name = '') => name !== 'task-definition' && !FUZZED_INPUTS.has(name) && !UNFUZZED_INPUTS.has(name),
    ),
  ).toEqual([]);
  expect(TASK_DEFINITION_CLASSES.length).toBeGreaterThan(0);
});

it('bad input sets and task-definition files: one inert error line, no AWS write, no secret anywhere', async () => {
  const inputCases: Case[] = fc.sample(badInputCase, { seed: SEED, numRuns: INPUT_RUNS }).map((c, i) => ({
    label: `input ${c.input}`,
    spawn: i < SPAWNED_INPUTS,
    inputs: c.inputs,
    names: [`'${c.input}'`],
  }));
  const files = fc.sample(badTaskDefinitionCase, { seed: SEED, numRuns: FILE_RUNS });
  const fileCases = await Promise.all(files.map(fileCase));
  const cases = [...inputCases, ...fileCases];
  const spawned = cases.filter((c) => c.spawn).length;
  process.stderr.write(
    `fuzz: seed ${SEED} (FUZZ_SEED=${SEED} reproduces it), ${cases.length} cases ` +
      `(${inputCases.length} input sets, ${fileCases.length} task-definition files; ${spawned} spawned)\n`,
  );
  const started = Date.now();
  const failures = await runAll(cases);
  process.stderr.write(`fuzz: ${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  expect(failures).toEqual([]);
  expect(environment.aws.writes().slice(seedWrites)).toEqual([]);
}, 600_000);
