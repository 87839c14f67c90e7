import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { registryRepositories } from '../../sandbox/registry-api.js';
import { errorLines, runAction } from '../../sandbox/runner.js';
import { buildTinyImage, sandboxEcs, seedService } from '../../sandbox/seed.js';

// Issue 9, item 2: a task definition the service cannot run is refused in the plan, before the image is
// pushed or a revision registered. It once pushed, registered an orphan revision and failed only at
// UpdateService ("Task definition does not support launch_type FARGATE").

let environment: Environment;
let dir: string;

const fargate = {
  family: 'compat',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'compat', image: 'placeholder', portMappings: [{ containerPort: 80 }] }],
};
// The sandbox's dockerd imports images for the machine's own architecture.
const own = process.arch === 'arm64' ? 'arm64' : 'amd64';
const other = own === 'arm64' ? 'X86_64' : 'ARM64';

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: true });
  await seedService(sandboxEcs(environment.env), { service: 'compat', desiredCount: 1 });
  await buildTinyImage(environment.env, 'compat-app:1');
  dir = await mkdtemp(join(tmpdir(), 'ecs-ship-compat-'));
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

describe('a task definition the service cannot run fails before anything is pushed or registered', () => {
  it.each([
    [
      'ec2-only',
      { ...fargate, requiresCompatibilities: ['EC2'] },
      `requiresCompatibilities is ["EC2"], but service 'compat' runs on Fargate (launch type FARGATE): expected it to include "FARGATE"`,
    ],
    [
      'bridge',
      { ...fargate, networkMode: 'bridge' },
      `networkMode is "bridge", but service 'compat' runs on Fargate (launch type FARGATE): expected "awsvpc"`,
    ],
    [
      'awslogs-no-role',
      {
        ...fargate,
        containerDefinitions: [
          { ...fargate.containerDefinitions[0], logConfiguration: { logDriver: 'awslogs', options: {} } },
        ],
      },
      "executionRoleArn is not set, but container 'compat' logs with awslogs on Fargate, which needs the task execution role",
    ],
    [
      'platform',
      { ...fargate, runtimePlatform: { cpuArchitecture: other, operatingSystemFamily: 'LINUX' } },
      `the image is built for linux/${own}, but runtimePlatform asks for LINUX on ${other}`,
    ],
  ])(
    '%s',
    async (name, td, message) => {
      const file = join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(td, null, 2));
      const before = environment.aws.requests.length;
      const { main } = await runAction({
        inputs: {
          service: 'compat',
          'task-definition': file,
          image: 'compat-app:1',
          repository: 'compat',
          'create-repository': 'true',
          tags: name,
          'poll-seconds': '0.2',
        },
        env: environment.env,
        post: false,
      });
      const made = environment.aws.requests.slice(before);
      expect(main.code).toBe(1);
      const errors = errorLines(main);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`Task definition '${file}': ${message}`);
      expect(`${main.stdout}${main.stderr}`).not.toMatch(/^\s+at /m);
      expect(made.filter((r) => r.write).map((r) => r.operation)).toEqual([]);
      expect(await registryRepositories(environment.registry)).not.toContain('compat');
    },
    60_000,
  );
});
