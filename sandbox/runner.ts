import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
/** The bundle under test: ECS_SHIP_DIST (jest's globalSetup points it at a bundle of the working tree), else dist/. */
export const DIST = process.env.ECS_SHIP_DIST ? resolve(process.env.ECS_SHIP_DIST) : join(ROOT, 'dist');

/**
 * action.yml says `using: node24`, so the bundle runs on node 24 here too, whatever node runs the tests:
 * the `node` devDependency's binary, checked once.
 */
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
let nodeChecked = false;

export function node24(): string {
  if (nodeChecked) return NODE;
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' });
  const found = version.error ? `missing (${version.error.message})` : version.stdout.trim();
  if (!/^v24\./.test(found)) {
    throw new Error(
      `The action runs on node 24 (action.yml: node24), but ${NODE} is ${found}: run \`npm ci\`, which installs the node@24 devDependency.`,
    );
  }
  nodeChecked = true;
  return NODE;
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Wall-clock times at which the process was started and seen to exit (see callsOf for the step's own). */
  startedAt: number;
  endedAt: number;
  workDir: string;
}

/** Parses the runner's file-command format: `name=value` lines and `name<<DELIM ... DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '');
      result[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      result[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return result;
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
}

/** A step's work directory, its file commands and the environment the runner gives it. */
export interface StepSetup {
  workDir: string;
  files: { GITHUB_OUTPUT: string; GITHUB_STATE: string; GITHUB_STEP_SUMMARY: string; GITHUB_ENV: string };
  env: Record<string, string>;
}

/** Makes what the runner makes before a step starts: the work directory, its files, the environment. */
export async function prepareStep(options: {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  workDir?: string;
  /** Variables the runner would not set either, e.g. AWS_EC2_METADATA_DISABLED for a step with no AWS. */
  unsetEnv?: string[];
}): Promise<StepSetup> {
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'ecs-ship-step-')));
  const files = {
    GITHUB_OUTPUT: join(workDir, 'output'),
    GITHUB_STATE: join(workDir, 'state'),
    GITHUB_STEP_SUMMARY: join(workDir, 'summary'),
    GITHUB_ENV: join(workDir, 'env'),
  };
  for (const path of Object.values(files)) await writeFile(path, '', { flag: 'a' });
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: workDir,
    GITHUB_ACTIONS: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...files,
    ...options.env,
    ...inputEnv(options.inputs ?? {}),
  };
  for (const name of options.unsetEnv ?? []) delete env[name];
  const defined = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined);
  return { workDir, files, env: Object.fromEntries(defined) };
}

/** What the step left: its exit, its output and the file commands it wrote. */
export async function stepResult(
  setup: StepSetup,
  ran: { code: number; stdout: string; stderr: string; startedAt: number; endedAt: number },
): Promise<StepResult> {
  const read = (path: string): Promise<string> => readFile(path, 'utf8');
  return {
    ...ran,
    outputs: parseFileCommands(await read(setup.files.GITHUB_OUTPUT)),
    state: parseFileCommands(await read(setup.files.GITHUB_STATE)),
    summary: await read(setup.files.GITHUB_STEP_SUMMARY),
    workDir: setup.workDir,
  };
}

/**
 * Runs a bundled entry point the way the GitHub runner does: INPUT_* variables and the file commands.
 * Asynchronous on purpose: the sandbox lives in the test's own event loop and must keep ticking.
 */
async function runEntry(
  entry: string,
  options: {
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    workDir?: string;
    echo?: boolean;
    /** Before the entry, e.g. `--import` of a module that records what the step loads (bench/). */
    nodeArgs?: string[];
    /** Variables the runner would not set either, e.g. AWS_EC2_METADATA_DISABLED for a step with no AWS. */
    unsetEnv?: string[];
  },
): Promise<StepResult> {
  const setup = await prepareStep(options);
  const startedAt = Date.now();
  const child = spawn(node24(), [...(options.nodeArgs ?? []), join(DIST, entry)], {
    env: setup.env,
    cwd: setup.workDir,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (options.echo) process.stderr.write(chunk);
  });
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
  return stepResult(setup, { code, stdout, stderr, startedAt, endedAt: Date.now() });
}

/** The main step, then (as the runner does) the post step with STATE_* from the main step's state file. */
export async function runAction(options: {
  inputs: Record<string, string>;
  env: Record<string, string>;
  post?: boolean;
  echo?: boolean;
  nodeArgs?: string[];
  unsetEnv?: string[];
}): Promise<{ main: StepResult; post: StepResult | undefined }> {
  const main = await runEntry('index.js', options);
  if (options.post === false) return { main, post: undefined };
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
  const post = await runEntry('cleanup/index.js', {
    env: { ...options.env, ...stateEnv },
    workDir: main.workDir,
    ...(options.echo === undefined ? {} : { echo: options.echo }),
    ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
    ...(options.unsetEnv === undefined ? {} : { unsetEnv: options.unsetEnv }),
  });
  return { main, post };
}

/** `::error::` lines, the way the Actions log shows failures. */
export function errorLines(result: StepResult): string[] {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.startsWith('::error::'));
}

/**
 * The step's own AWS calls, as the sandbox logged them on arrival (every client of the action sends the
 * `ecs-ship/` user agent). Their times are the step's clock: unlike the moment the test saw the process
 * exit, they leave out the summary, the exit and whatever else keeps a busy machine's test process waiting.
 */
export function callsOf<T extends { at: Date; userAgent: string }>(step: StepResult, requests: T[]): T[] {
  return requests.filter(
    (r) =>
      /\becs-ship\//.test(r.userAgent) && r.at.getTime() >= step.startedAt && r.at.getTime() <= step.endedAt,
  );
}

/** When the step made its last AWS call: its verdict, or the last wait before it. */
export function lastCallAt(step: StepResult, requests: Array<{ at: Date; userAgent: string }>): number {
  const last = callsOf(step, requests).at(-1);
  if (!last) throw new Error('the step made no AWS call');
  return last.at.getTime();
}

/** A workflow command as the runner parses it from a line of the step's output. */
export interface WorkflowCommand {
  command: string;
  /** The raw text after the command's `::` (or `]`), escapes left as they are. */
  data: string;
  line: string;
}

/**
 * Every line the runner would execute, found as actions/runner's ActionCommand does: it reads stdout line
 * by line (\n, \r or \r\n), takes a line whose start, after leading white space, is `::name …::` (V2), or
 * failing that one holding `##[name …]` anywhere (V1). Every name counts, known to the runner or not.
 */
export function workflowCommands(text: string): WorkflowCommand[] {
  const found: WorkflowCommand[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    const trimmed = line.trimStart();
    const v2 = trimmed.startsWith('::') ? trimmed.indexOf('::', 2) : -1;
    if (v2 >= 0) {
      found.push({ command: trimmed.slice(2, v2).split(' ')[0] ?? '', data: trimmed.slice(v2 + 2), line });
      continue;
    }
    const at = line.indexOf('##[');
    const end = at >= 0 ? line.indexOf(']', at) : -1;
    if (end >= 0)
      found.push({ command: line.slice(at + 3, end).split(' ')[0] ?? '', data: line.slice(end + 1), line });
  }
  return found;
}
