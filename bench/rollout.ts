import {
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEnvironment, type Environment } from '../sandbox/environment.js';
import { runAction } from '../sandbox/runner.js';
import { buildTinyImage, createRepositories, sandboxEcs, seedService, waitSteady } from '../sandbox/seed.js';
import { figure, type Figure } from './results-file.js';

/**
 * How long after ECS knows does each side know: ecs-ship (the bundled step, as the runner runs it) against
 * the SDK waiter `waitUntilServicesStable` (minDelay 15 s, its default maxDelay), side by side on the same
 * sandbox in real time (timeScale 1), one service each, all four rollouts at once.
 * - completion_seen_s: the sandbox marks the deployment complete -> the step exits / the waiter returns.
 * - failure_seen_s: the first task of a crash-looping revision stops -> the step fails / the waiter gives
 *   up; the waiter never does before its maxWaitTime, so its value is the cap.
 */

const CAP_S = 120;
// ecs-ship polls every 2 s here; its default is 5 s (see the report: completion is seen within one poll).
const POLL_S = '2';

async function seed(ecs: ECSClient, service: string): Promise<void> {
  await seedService(ecs, { service, desiredCount: 1 });
  await waitSteady(ecs, service);
}

const CRASH = { command: ['sh', '-c', 'exit 1'] };

async function crashingTaskDefinition(service: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'ecs-ship-bench-')), 'td.json');
  await writeFile(
    file,
    JSON.stringify({
      family: service,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: service, image: 'placeholder', essential: true, ...CRASH }],
    }),
  );
  return file;
}

async function shipSide(env: Environment, service: string, crash: boolean): Promise<number> {
  const inputs: Record<string, string> = {
    image: 'bench-app:1',
    repository: service,
    tags: 'v1',
    service,
    'poll-seconds': POLL_S,
    rollback: 'false',
    'timeout-minutes': '3',
  };
  if (crash) inputs['task-definition'] = await crashingTaskDefinition(service);
  const { main } = await runAction({ inputs, env: env.env, post: false });
  return main.endedAt;
}

async function waiterSide(ecs: ECSClient, service: string, crash: boolean): Promise<number> {
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: service,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: service,
          image: 'public.ecr.aws/nginx/nginx:mainline',
          essential: true,
          ...(crash ? CRASH : {}),
        },
      ],
    }),
  );
  await ecs.send(
    new UpdateServiceCommand({ service, taskDefinition: registered.taskDefinition?.taskDefinitionArn }),
  );
  await waitUntilServicesStable(
    { client: ecs, maxWaitTime: CAP_S, minDelay: 15 },
    { cluster: 'default', services: [service] },
  ).catch(() => undefined); // a timeout is the waiter's way of failing
  return Date.now();
}

/** Seconds from the sandbox's mark to `endedAt`, at most the cap. */
function seen(env: Environment, service: string, endedAt: number, kind: 'complete' | 'failed'): number {
  let mark: number | undefined;
  if (kind === 'complete') {
    mark = env.aws.state.serviceDeploymentsOf(service)[0]?.finishedAt?.getTime();
  } else {
    const current = env.aws.state.service(service)?.taskDefinition;
    const stops = env.aws.state
      .tasksOf(service)
      .filter((t) => t.taskDefinitionArn === current && t.stoppedAt)
      .map((t) => (t.stoppedAt as Date).getTime());
    mark = stops.length > 0 ? Math.min(...stops) : undefined;
  }
  if (mark === undefined) return CAP_S;
  return Math.min(CAP_S, Math.max(0, (endedAt - mark) / 1000));
}

export async function rolloutFigures(): Promise<Figure[]> {
  const env = await startEnvironment({ timeScale: 1, docker: true });
  try {
    const ecs = sandboxEcs(env.env);
    const services = ['ok-ship', 'ok-waiter', 'bad-ship', 'bad-waiter'];
    await Promise.all(services.map((s) => seed(ecs, s)));
    await createRepositories(env.env, 'ok-ship', 'bad-ship');
    await buildTinyImage(env.env, 'bench-app:1');
    const [okShip, okWaiter, badShip, badWaiter] = await Promise.all([
      shipSide(env, 'ok-ship', false),
      waiterSide(ecs, 'ok-waiter', false),
      shipSide(env, 'bad-ship', true),
      waiterSide(ecs, 'bad-waiter', true),
    ]);
    const peer = `waitUntilServicesStable (minDelay 15 s, cap ${CAP_S} s)`;
    return [
      figure(
        'completion_seen_s',
        seen(env, 'ok-ship', okShip, 'complete'),
        's',
        peer,
        seen(env, 'ok-waiter', okWaiter, 'complete'),
      ),
      figure(
        'failure_seen_s',
        seen(env, 'bad-ship', badShip, 'failed'),
        's',
        peer,
        seen(env, 'bad-waiter', badWaiter, 'failed'),
      ),
    ];
  } finally {
    await env.stop();
  }
}
