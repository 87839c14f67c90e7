import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateServiceCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { buildTinyImage, createRepositories, sandboxEcs, waitSteady } from '../../sandbox/seed.js';

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  // The ECR repositories these tests push to, created as a team creates them before its first deploy.
  await createRepositories(environment.env, 'preview');
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

const NGINX = 'public.ecr.aws/nginx/nginx:1.27';
const BUSYBOX = 'public.ecr.aws/docker/library/busybox:1.36';

/** A three-container service on a tagged revision, as a team has it before adopting ecs-ship. */
async function seedTagged(service: string): Promise<string> {
  const logConfiguration = { logDriver: 'awslogs' as const, options: { 'awslogs-group': `/ecs/${service}` } };
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: service,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      // Fargate runs awslogs with the task execution role (the plan refuses the task definition without it).
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      tags: [
        { key: 'team', value: 'shop' },
        { key: 'cost-center', value: '' },
      ],
      containerDefinitions: [
        {
          name: 'web',
          image: 'public.ecr.aws/nginx/nginx:stable',
          portMappings: [{ containerPort: 80 }],
          environment: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'EMPTY', value: '' },
          ],
          logConfiguration,
        },
        {
          name: 'worker',
          image: 'public.ecr.aws/docker/library/busybox:stable',
          command: ['sh', '-c', 'echo "a b" && sleep 3600'],
          environment: [{ name: 'LOG_LEVEL', value: 'info' }],
          logConfiguration,
        },
        {
          name: 'xray',
          image: 'public.ecr.aws/xray/aws-xray-daemon:3.3.13',
          essential: false,
          environment: [{ name: 'LOG_LEVEL', value: 'info' }],
        },
      ],
    }),
  );
  const arn = registered.taskDefinition?.taskDefinitionArn ?? '';
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'default',
      serviceName: service,
      taskDefinition: arn,
      desiredCount: 1,
      launchType: 'FARGATE',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    }),
  );
  await waitSteady(ecs, service);
  return arn;
}

async function describe_(arn: string): Promise<Record<string, unknown>> {
  const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
  const { taskDefinitionArn: _a, revision: _r, registeredAt: _t, ...rest } = out.taskDefinition ?? {};
  return JSON.parse(JSON.stringify({ ...rest, tags: out.tags }));
}

/** Runs the action and returns what it did, with the AWS calls it made. */
async function ship(
  inputs: Record<string, string>,
): Promise<{ main: StepResult; calls: string[]; writes: string[] }> {
  const before = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: { 'poll-seconds': '0.2', ...inputs },
    env: environment.env,
    post: false,
  });
  const made = environment.aws.requests.slice(before);
  return {
    main,
    calls: made.map((r) => r.operation),
    writes: made.filter((r) => r.write).map((r) => r.operation),
  };
}

describe('starting from the service current revision', () => {
  let oldArn: string;
  let first: Awaited<ReturnType<typeof ship>>;
  const inputs = {
    service: 'shop',
    containers: `web=${NGINX}\nworker=${BUSYBOX}`,
    'environment-variables': 'LOG_LEVEL=debug=verbose',
  };

  beforeAll(async () => {
    oldArn = await seedTagged('shop');
    first = await ship(inputs);
  }, 120_000);

  it('deploys without pushing anything (every container names its own image)', () => {
    expect({ code: first.main.code, errors: errorLines(first.main) }).toEqual({ code: 0, errors: [] });
    expect(first.calls.filter((op) => /Push|Upload|Layer|GetAuthorizationToken/.test(op))).toEqual([]);
    expect(first.main.outputs['rollout-state']).toBe('SUCCESSFUL');
    expect(first.main.outputs['task-definition-changed']).toBe('true');
    expect(first.main.outputs['task-definition-revision']).toBe('2');
  });

  it('registers a revision that differs from the old one in exactly the images and the env var', async () => {
    const before = await describe_(oldArn);
    const after = await describe_(first.main.outputs['task-definition-arn'] ?? '');
    const expected = structuredClone(before) as { containerDefinitions: Record<string, unknown>[] };
    const [web, worker] = expected.containerDefinitions;
    Object.assign(web ?? {}, {
      image: NGINX,
      environment: [
        { name: 'LOG_LEVEL', value: 'debug=verbose' },
        { name: 'EMPTY', value: '' },
      ],
    });
    Object.assign(worker ?? {}, {
      image: BUSYBOX,
      environment: [{ name: 'LOG_LEVEL', value: 'debug=verbose' }],
    });
    expect(after).toEqual(expected);
    // The tags came along, the empty one included.
    expect(after['tags']).toEqual([
      { key: 'team', value: 'shop' },
      { key: 'cost-center', value: '' },
    ]);
  });

  it('prints a readable diff of exactly those changes', () => {
    const diff = first.main.stdout.split('\n').filter((line) => /^\s+[~+-] /.test(line));
    expect(diff.map((line) => line.trim())).toEqual([
      `~ containerDefinitions[web].image: "public.ecr.aws/nginx/nginx:stable" → "${NGINX}"`,
      '~ containerDefinitions[web].environment[LOG_LEVEL]: "info" → "debug=verbose"',
      `~ containerDefinitions[worker].image: "public.ecr.aws/docker/library/busybox:stable" → "${BUSYBOX}"`,
      '~ containerDefinitions[worker].environment[LOG_LEVEL]: "info" → "debug=verbose"',
    ]);
  });

  it('registers nothing new on a second identical run, and says it reused the revision', async () => {
    const second = await ship(inputs);
    expect({ code: second.main.code, errors: errorLines(second.main) }).toEqual({ code: 0, errors: [] });
    expect(second.writes).not.toContain('RegisterTaskDefinition');
    expect(second.main.outputs['task-definition-changed']).toBe('false');
    expect(second.main.outputs['task-definition-arn']).toBe(first.main.outputs['task-definition-arn']);
    expect(second.main.stdout).toContain('Reused');
    expect(environment.aws.state.taskDefinitions('shop')).toHaveLength(2);
  }, 60_000);
});

describe('a task definition file with misspelled keys', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecs-ship-keys-'));
    await seedTagged('keys');
  }, 60_000);

  const base = {
    family: 'keys',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: 'web', image: 'x', logConfiguration: { logDriver: 'awslogs', options: {} } },
      { name: 'worker', image: 'y', environment: [] as unknown[] },
    ],
  };
  it.each([
    [
      'top level',
      { ...base, requiresCompatibilites: ['FARGATE'] },
      'requiresCompatibilites: unknown key, did you mean requiresCompatibilities?',
    ],
    [
      'in a container',
      {
        ...base,
        containerDefinitions: [base.containerDefinitions[0], { name: 'worker', image: 'y', enviroment: [] }],
      },
      'containerDefinitions[1].enviroment: unknown key, did you mean environment?',
    ],
    [
      'inside a container setting',
      {
        ...base,
        containerDefinitions: [
          { name: 'web', image: 'x', logConfiguration: { logDriver: 'awslogs', optoins: {} } },
          base.containerDefinitions[1],
        ],
      },
      'containerDefinitions[0].logConfiguration.optoins: unknown key, did you mean options?',
    ],
  ])(
    'fails %s with the JSON path and the suggestion, before any write',
    async (_where, td, message) => {
      const file = join(dir, `${_where.replace(/ /g, '-')}.json`);
      await writeFile(file, JSON.stringify(td));
      const { main, writes } = await ship({
        service: 'keys',
        'task-definition': file,
        containers: `web=${NGINX}`,
      });
      expect(main.code).toBe(1);
      expect(errorLines(main)).toHaveLength(1);
      expect(errorLines(main)[0]).toContain(message);
      expect(writes).toEqual([]);
      // Nothing ran past the plan: the summary is the failure line alone.
      expect(main.summary).toMatch(/^\n\*\*❌ Step failed:\*\* Task definition '.*keys.*': .+\n$/);
    },
    30_000,
  );
});

describe('dry-run', () => {
  it('logs in, renders, diffs and writes the plan, and makes no write', async () => {
    await seedTagged('preview');
    await buildTinyImage(environment.env, 'preview-app:build-1');
    const { main, calls, writes } = await ship({
      service: 'preview',
      image: 'preview-app:build-1',
      repository: 'preview',
      tags: 'v1',
      containers: 'web\nworker',
      secrets: 'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Ab12Cd',
      'dry-run': 'true',
    });
    expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
    expect(writes).toEqual([]);
    expect(calls).toContain('GetAuthorizationToken');
    expect(main.outputs['task-definition-changed']).toBe('true');
    expect(main.outputs['task-definition-arn']).toBeUndefined();
    const rendered = JSON.parse(await readFile(main.outputs['task-definition'] ?? '', 'utf8'));
    expect(rendered.containerDefinitions[0].image).toContain(`${environment.registry.host}/preview@`);
    expect(rendered.containerDefinitions[1].secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Ab12Cd' },
    ]);
    expect(main.summary).toContain('Dry run');
    expect(main.summary).toMatch(/^## Dry run: nothing was pushed, registered or deployed\n/);
    expect(main.summary).toContain('+ containerDefinitions[web].secrets[DB_PASSWORD]: (hidden)');
    expect(`${main.stdout}${main.summary}`).not.toContain('secret:db-Ab12Cd');
    expect(environment.aws.state.taskDefinitions('preview')).toHaveLength(1);
  }, 60_000);
});

describe('a task-definition file round trip against what ECS fills in', () => {
  it.each([
    ['bridge (host port 0, tcp)', 'bridge', 'EC2'],
    ['awsvpc (host port = container port, tcp)', 'awsvpc', 'FARGATE'],
  ] as const)(
    'under %s, a second run with the same file registers nothing',
    async (_what, networkMode, launchType) => {
      const family = `round-${networkMode}`;
      const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-round-'));
      const file = join(dir, 'taskdef.json');
      await writeFile(
        file,
        JSON.stringify({
          family,
          networkMode,
          requiresCompatibilities: [launchType],
          cpu: '256',
          memory: '512',
          executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
          containerDefinitions: [
            {
              name: 'web',
              image: NGINX,
              portMappings: [{ containerPort: 8080 }],
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/round' } },
            },
          ],
        }),
      );
      const seeded = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          networkMode,
          requiresCompatibilities: [launchType],
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'web', image: NGINX }],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          serviceName: family,
          taskDefinition: seeded.taskDefinition?.taskDefinitionArn,
          desiredCount: 1,
          launchType,
        }),
      );
      await waitSteady(ecs, family);
      const inputs = { service: family, 'task-definition': file, containers: `web=${NGINX}` };
      const first = await ship(inputs);
      expect({ code: first.main.code, errors: errorLines(first.main) }).toEqual({ code: 0, errors: [] });
      const arn = first.main.outputs['task-definition-arn'] ?? '';
      // What ECS made of the file: the defaults it fills in are there...
      const registered = await describe_(arn);
      const web = (registered['containerDefinitions'] as Record<string, unknown>[])[0];
      expect(web?.['portMappings']).toEqual([
        { containerPort: 8080, hostPort: networkMode === 'awsvpc' ? 8080 : 0, protocol: 'tcp' },
      ]);
      expect(registered['requiresAttributes']).toEqual(
        expect.arrayContaining([{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }]),
      );
      // ...and a second run reads them as "no change".
      const second = await ship(inputs);
      expect({ code: second.main.code, errors: errorLines(second.main) }).toEqual({ code: 0, errors: [] });
      expect(second.writes).not.toContain('RegisterTaskDefinition');
      expect(second.main.outputs['task-definition-arn']).toBe(arn);
    },
    60_000,
  );
});
