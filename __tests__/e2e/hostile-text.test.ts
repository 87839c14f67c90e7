import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, workflowCommands, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, seedService, waitSteady } from '../../sandbox/seed.js';

// A task definition written to take over the runner's log: names and values with line breaks of every kind
// and workflow commands after them. Whatever the step does with it, deploy or refuse, the log it leaves must
// hold no command the file wrote (each payload begins PWNED, so a command it made has data `PWNED…`).
let environment: Environment;
let dir: string;

const NGINX = 'public.ecr.aws/nginx/nginx:1.27';
const PAYLOADS = [
  '\n::warning::PWNED-lf',
  '\r::set-output name=PWNED::1',
  '\r\n::add-mask::PWNED-crlf',
  '\u2028::warning::PWNED-ls',
  '\u2029::warning::PWNED-ps',
  '\u0085::warning::PWNED-nel',
  '\n  ::error::PWNED-indented',
  '\n::stop-commands::PWNED-stop',
  ' ##[warning]PWNED-v1',
  '\u001b[1A\u001b[2K::warning::PWNED-ansi',
];
const hostile = (base: string) => `${base}${PAYLOADS.join('')}`;

// The commands ecs-ship itself writes; any other name would be the file's.
const OWN_COMMANDS = new Set(['group', 'endgroup', 'warning', 'error', 'debug', 'add-mask']);

function expectInert(step: StepResult): void {
  const log = `${step.stdout}\n${step.stderr}`;
  for (const c of workflowCommands(log)) {
    expect({ command: c.command, line: c.line }).toEqual({ command: expect.any(String), line: c.line });
    expect(OWN_COMMANDS).toContain(c.command);
    expect(c.data).not.toMatch(/^PWNED/);
  }
  expect(log).not.toContain('##[');
  expect(Object.keys(step.outputs).filter((k) => k.includes('PWNED'))).toEqual([]);
  // The job summary: no raw HTML, and no line the file started (a table row, a heading).
  expect(step.summary).not.toMatch(/<img|^\s*[|#].*PWNED/m);
  // No stack trace for text a user controls.
  expect(log).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false });
  const ecs = sandboxEcs(environment.env);
  await seedService(ecs, {
    service: 'hostile',
    desiredCount: 1,
    containers: [{ name: 'web', image: 'public.ecr.aws/nginx/nginx:stable', essential: true }],
  });
  await waitSteady(ecs, 'hostile');
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-hostile-'));
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

/** Writes the task definition under a directory whose own name is hostile; returns its path. */
async function taskDefinitionFile(name: string, td: unknown): Promise<string> {
  const sub = join(dir, hostile(name));
  await mkdir(sub, { recursive: true });
  const path = join(sub, 'task-definition.json');
  await writeFile(path, JSON.stringify(td, null, 2));
  return path;
}

async function ship(path: string, extra: Record<string, string> = {}): Promise<StepResult> {
  const { main } = await runAction({
    inputs: {
      service: 'hostile',
      containers: `web=${NGINX}`,
      'task-definition': path,
      'poll-seconds': '0.2',
      ...extra,
    },
    env: environment.env,
    post: false,
  });
  return main;
}

const base = {
  family: 'hostile',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
};

describe('a hostile task definition is shown inert', () => {
  it('hostile values (command, environment values, labels) and path: it deploys, the text shown, no command run', async () => {
    const path = await taskDefinitionFile('values', {
      ...base,
      containerDefinitions: [
        {
          name: 'web',
          image: 'placeholder',
          essential: true,
          command: ['sh', '-c', hostile('echo hi')],
          environment: [{ name: 'MODE', value: hostile('prod') }],
          dockerLabels: { team: hostile('shop') },
        },
      ],
    });
    const step = await ship(path);
    expect({ code: step.code, errors: errorLines(step) }).toEqual({ code: 0, errors: [] });
    expectInert(step);
    // Shown, not dropped: the path and the diff's values with their line breaks as escapes.
    expect(step.stdout).toContain('values\\n::warning::PWNED-lf\\r::set-output name=PWNED::1');
    expect(step.stdout).toMatch(/^ {2}.*MODE.*prod\\n::warning::PWNED-lf/m);
    expect(step.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('hostile names (a container, an environment variable): it deploys or refuses, either way inert', async () => {
    const path = await taskDefinitionFile('names', {
      ...base,
      containerDefinitions: [
        {
          name: 'web',
          image: 'placeholder',
          essential: true,
          environment: [{ name: hostile('E'), value: '1' }],
        },
        { name: hostile('side'), image: NGINX, essential: false },
      ],
    });
    const step = await ship(path);
    expectInert(step);
    if (step.code !== 0) expect(errorLines(step)).toHaveLength(1);
    else expect(step.outputs['rollout-state']).toBe('SUCCESSFUL');
  });

  it('a hostile container in the containers input: refused, inert', async () => {
    const path = await taskDefinitionFile('input', {
      ...base,
      containerDefinitions: [{ name: 'web', image: 'placeholder', essential: true }],
    });
    const step = await ship(path, { containers: `web=${NGINX}\nweb2=${NGINX}\u2028::warning::PWNED-input` });
    expect(step.code).toBe(1);
    expect(errorLines(step)).toHaveLength(1);
    expectInert(step);
  });

  it.each([
    ['service', hostile('api')],
    ['cluster', hostile('prod')],
    ['aws-region', hostile('us-east-1')],
    ['timeout-minutes', hostile('5')],
  ])('a hostile %s input: one error line naming it, inert', async (input, value) => {
    const path = await taskDefinitionFile('inputs', {
      ...base,
      containerDefinitions: [{ name: 'web', image: 'placeholder', essential: true }],
    });
    const writesBefore = environment.aws.writes().length;
    const step = await ship(path, { [input]: value });
    expect(step.code).toBe(1);
    const errors = errorLines(step);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`'${input}'`);
    expectInert(step);
    expect(environment.aws.writes().slice(writesBefore)).toEqual([]);
  });
});
