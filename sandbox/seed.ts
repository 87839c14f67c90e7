import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, ECRClient, RepositoryAlreadyExistsException } from '@aws-sdk/client-ecr';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SANDBOX_USER } from './iam.js';

/** An ECS client for the sandbox, as the action itself would build one from the environment. */
export function sandboxEcs(env: Record<string, string>): ECSClient {
  return new ECSClient({
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.AWS_ENDPOINT_URL_ECS ? { endpoint: env.AWS_ENDPOINT_URL_ECS } : {}),
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? SANDBOX_USER.accessKeyId,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? SANDBOX_USER.secretAccessKey,
    },
  });
}

/**
 * ECR repositories, created as a team creates them before its first deploy (the sandbox's ECR, like real
 * ECR, knows only created repositories). Creating one that exists is fine.
 */
export async function createRepositories(env: Record<string, string>, ...names: string[]): Promise<void> {
  const ecr = new ECRClient({
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.AWS_ENDPOINT_URL_ECR ? { endpoint: env.AWS_ENDPOINT_URL_ECR } : {}),
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'x',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'x',
    },
  });
  try {
    for (const repositoryName of names) {
      await ecr.send(new CreateRepositoryCommand({ repositoryName })).catch((e: unknown) => {
        if (!(e instanceof RepositoryAlreadyExistsException)) throw e;
      });
    }
  } finally {
    ecr.destroy();
  }
}

export interface SeedOptions {
  service: string;
  cluster?: string;
  desiredCount?: number;
  containers?: ContainerDefinition[];
  circuitBreaker?: boolean;
  /** Behind a load balancer: `[{ targetGroupArn, containerName, containerPort }]` (elbv2/seed.ts). */
  loadBalancers?: { targetGroupArn: string; containerName: string; containerPort: number }[];
}

/**
 * A service already running a first revision, as a team has before adopting ecs-ship. Images outside the
 * sandbox's registry count as pullable, so the seed starts healthy.
 */
export async function seedService(
  ecs: ECSClient,
  options: SeedOptions,
): Promise<{ taskDefinitionArn: string }> {
  const containers = options.containers ?? [
    {
      name: options.service,
      image: 'public.ecr.aws/nginx/nginx:stable',
      essential: true,
      portMappings: [{ containerPort: 80 }],
      environment: [{ name: 'GREETING', value: '' }],
    },
  ];
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: options.service,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: containers,
    }),
  );
  const taskDefinitionArn = registered.taskDefinition?.taskDefinitionArn ?? '';
  await ecs.send(
    new CreateServiceCommand({
      cluster: options.cluster ?? 'default',
      serviceName: options.service,
      taskDefinition: taskDefinitionArn,
      desiredCount: options.desiredCount ?? 2,
      launchType: 'FARGATE',
      ...(options.loadBalancers ? { loadBalancers: options.loadBalancers } : {}),
      // Real ECS requires it for awsvpc; the sandbox only stores it.
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-0sandbox'], assignPublicIp: 'DISABLED' },
      },
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: options.circuitBreaker ?? false, rollback: false },
      },
    }),
  );
  return { taskDefinitionArn };
}

/** Polls until the service's only deployment is COMPLETED (the seed is steady). */
export async function waitSteady(
  ecs: ECSClient,
  service: string,
  cluster = 'default',
  limitMs = 60_000,
): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const deployments = out.services?.[0]?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]?.rolloutState === 'COMPLETED') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service ${service} did not become steady within ${limitMs} ms`);
}

const exec = promisify(execFile);

/** A tiny image made without a base image or network: one file, imported from a tar stream. */
export async function buildTinyImage(
  dockerEnv: Record<string, string>,
  name: string,
  content = name,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-ship-img-'));
  try {
    await writeFile(join(dir, 'hello.txt'), `${content}\n`);
    await exec(
      'sh',
      ['-c', `tar -C "${dir}" -c . | docker import --change 'CMD ["/hello.txt"]' - "${name}"`],
      {
        env: { ...process.env, ...dockerEnv },
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The Fargate basics most test task definitions share; `fields` add to them or replace them. */
export function fargateTaskDefinition(
  family: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    ...fields,
  };
}

/** `fargateTaskDefinition` written to a file of its own, as a repository keeps one: its path. */
export async function taskDefinitionFile(
  family: string,
  fields: Record<string, unknown> = {},
): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'ecs-ship-td-')), 'task-definition.json');
  await writeFile(file, JSON.stringify(fargateTaskDefinition(family, fields)));
  return file;
}
