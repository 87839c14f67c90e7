import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { startEnvironment, type Environment } from '../../sandbox/environment.js';
import { SERVICE_DEPLOYMENT_API, type Missing } from '../../sandbox/outages.js';
import { errorLines, runAction, type StepResult } from '../../sandbox/runner.js';
import { sandboxEcs, taskDefinitionFile, seedService, waitSteady } from '../../sandbox/seed.js';

/**
 * Faults that must leave the service alone, run as the runner runs the bundled action against the sandbox:
 * an endpoint without the service-deployment API (LocalStack, moto, a partition that lacks it), and ECS not
 * answering at all. The watcher judges from DescribeServices where it can, and never writes on a state it
 * did not see.
 */

let environment: Environment;
let ecs: ECSClient;

beforeAll(async () => {
  environment = await startEnvironment({ timeScale: 20, docker: false });
  ecs = sandboxEcs(environment.env);
}, 60_000);

afterAll(async () => {
  await environment?.stop();
});

async function deploy(
  service: string,
  inputs: Record<string, string> = {},
): Promise<{ main: StepResult; operations: string[] }> {
  await seedService(ecs, { service, desiredCount: 2 });
  await waitSteady(ecs, service);
  const before = environment.aws.requests.length;
  const { main } = await runAction({
    inputs: {
      service,
      containers: `${service}=public.ecr.aws/nginx/nginx:1.27`,
      'poll-seconds': '0.5',
      ...inputs,
    },
    env: environment.env,
    post: false,
  });
  return { main, operations: environment.aws.requests.slice(before).map((r) => r.operation) };
}

async function withoutServiceDeployments<T>(how: Missing, run: () => Promise<T>): Promise<T> {
  for (const op of SERVICE_DEPLOYMENT_API) environment.aws.missing.set(op, how);
  try {
    return await run();
  } finally {
    environment.aws.missing.clear();
  }
}

const lines = (main: StepResult, text: string) => main.stdout.split('\n').filter((l) => l.includes(text));

describe('without the service-deployment API, the rollout is judged from DescribeServices', () => {
  it.each<[Missing, RegExp]>([
    ['unknown-operation', /\(ecs:ListServiceDeployments: UnknownOperationException, HTTP 400\)/],
    // moto's answer: an HTML page the SDK cannot read, several polls in a row.
    ['html-500', /\(ecs:ListServiceDeployments: SyntaxError, HTTP 500, 3 polls in a row\)/],
  ])(
    '%s: says so once and succeeds',
    async (how, why) => {
      const service = `sd-${how}`;
      const { main, operations } = await withoutServiceDeployments(how, () => deploy(service));
      expect({ code: main.code, errors: errorLines(main) }).toEqual({ code: 0, errors: [] });
      expect(main.outputs['rollout-state']).toBe('SUCCESSFUL');
      const said = lines(main, 'service deployments are not available');
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(why);
      expect(lines(main, 'SUCCESSFUL: ')).toEqual([
        expect.stringMatching(/SUCCESSFUL: sd-[\w-]+:2 is the only deployment, COMPLETED, running 2\/2$/),
      ]);
      expect(operations).not.toContain('DescribeServiceDeployments');
      expect(environment.aws.state.service(service)?.taskDefinition).toBe(
        main.outputs['task-definition-arn'],
      );
    },
    120_000,
  );

  it('a failing rollout fails with the reason, and is rolled back with UpdateService', async () => {
    const { main, operations } = await withoutServiceDeployments('unknown-operation', async () => {
      await seedService(ecs, { service: 'sd-crash', desiredCount: 2 });
      await waitSteady(ecs, 'sd-crash');
      const before = environment.aws.requests.length;
      const { main } = await runAction({
        inputs: {
          service: 'sd-crash',
          containers: 'sd-crash=public.ecr.aws/nginx/nginx:1.27',
          // What the file input would say: a container that exits 3 at start-up.
          'task-definition': await crashingTaskDefinition('sd-crash'),
          'poll-seconds': '0.5',
        },
        env: environment.env,
        post: false,
      });
      return { main, operations: environment.aws.requests.slice(before).map((r) => r.operation) };
    });
    expect(main.code).toBe(1);
    expect(errorLines(main).join('\n')).toMatch(
      /essential container 'sd-crash' exited with code 3.*ecs-ship rolled \(via UpdateService\) the service back to sd-crash:1/,
    );
    expect(main.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(operations).not.toContain('StopServiceDeployment');
    expect(operations.filter((op) => op === 'UpdateService')).toHaveLength(2);
    expect(
      lines(main, 'ROLLED_BACK: the service is back on sd-crash:1 after sd-crash:2 failed'),
    ).toHaveLength(1);
  }, 120_000);
});

function crashingTaskDefinition(family: string): Promise<string> {
  return taskDefinitionFile(family, {
    containerDefinitions: [
      { name: family, image: 'placeholder', essential: true, command: ['sh', '-c', 'exit 3'] },
    ],
  });
}

describe('with ECS not answering for the whole wait', () => {
  it('TIMED_OUT: ECS never answered, and no rollback call in the request log', async () => {
    environment.aws.outage = { answer: '503', after: 'UpdateService' };
    let result: { main: StepResult; operations: string[] };
    try {
      result = await deploy('unreachable', { 'timeout-minutes': '1' });
    } finally {
      environment.aws.outage = undefined;
    }
    const { main, operations } = result;
    expect(main.code).toBe(1);
    expect(main.outputs['rollout-state']).toBe('TIMED_OUT');
    expect(errorLines(main)).toEqual([
      expect.stringMatching(
        /^::error::Rollout TIMED_OUT: ECS never answered in 1 min of waiting for unreachable:2 \(last error: SyntaxError on ecs:DescribeServices\); the service was left as it is$/,
      ),
    ]);
    expect(lines(main, 'TIMED_OUT: ECS never answered')).toHaveLength(2);
    // The watch asked and asked; nothing was written after the one update.
    expect(operations.filter((op) => op === 'DescribeServices').length).toBeGreaterThan(3);
    expect(operations.filter((op) => op === 'UpdateService')).toHaveLength(1);
    expect(operations).not.toContain('StopServiceDeployment');
    const faulted = environment.aws.requests.filter((r) => r.fault === 'HTTP 503');
    expect(faulted.length).toBeGreaterThan(3);
  }, 180_000);
});
