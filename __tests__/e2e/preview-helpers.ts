import {
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { seedLoadBalancer, type SeededLoadBalancer } from '../../sandbox/elbv2/seed.js';
import { startEnvironment, type Environment, type EnvironmentOptions } from '../../sandbox/environment.js';
import type { GitHubSandbox } from '../../sandbox/github/server.js';
import { runAction } from '../../sandbox/runner.js';
import type { AwsSandbox } from '../../sandbox/server.js';
import { createRepositories, sandboxEcs, waitSteady } from '../../sandbox/seed.js';

/** Helpers for the preview e2e tests: a template service as a team has it, and a run on a PR event. */

export type PreviewEnvironment = Environment & { github: GitHubSandbox };

/** The sandbox previews run in: AWS and GitHub, no dockerd (images come from OCI layouts), time scaled. */
export function startPreviewEnvironment(opts: EnvironmentOptions = {}): Promise<PreviewEnvironment> {
  return startEnvironment({ timeScale: 10, docker: false, ...opts, github: true });
}

/** An ELBv2 client for the sandbox, with the environment's own keys. */
function sandboxElb(environment: Environment): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    region: 'us-east-1',
    endpoint: environment.aws.endpoint,
    credentials: {
      accessKeyId: environment.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: environment.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
}

/** The template previews are cloned from: a running service with its own family, tags and settings. */
export async function seedTemplate(
  ecs: ECSClient,
  service: string,
  extra: Partial<CreateServiceCommandInput>,
): Promise<string> {
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: service,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: 'public.ecr.aws/nginx/nginx:stable',
          essential: true,
          portMappings: [{ containerPort: 80 }],
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
      desiredCount: 2,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0aaa', 'subnet-0bbb'],
          securityGroups: ['sg-0web'],
          assignPublicIp: 'DISABLED',
        },
      },
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: false },
      },
      tags: [{ key: 'team', value: 'web' }],
      ...extra,
    }),
  );
  await waitSteady(ecs, service);
  return arn;
}

/** A preview sandbox whose template `web` runs behind an ALB, with clients for its ECS and ELBv2. */
export interface AlbScene {
  environment: PreviewEnvironment;
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  alb: SeededLoadBalancer;
}

/**
 * The scene of the ALB preview tests: the load balancer `lb` describes (its target group the template's),
 * the template service `web` behind it on container `app`:80, and the ECR repositories the pushes go to.
 */
export async function startWebBehindAlb(
  lb: Parameters<typeof seedLoadBalancer>[1],
  repositories: string[] = ['web'],
): Promise<AlbScene> {
  const environment = await startPreviewEnvironment();
  const ecs = sandboxEcs(environment.env);
  const elb = sandboxElb(environment);
  await createRepositories(environment.env, ...repositories);
  const alb = await seedTemplateBehindAlb(environment.aws, ecs, 'web', lb);
  return { environment, ecs, elb, alb };
}

/** A load balancer named after `service` (unless `lb` names it), and the template `service` behind it. */
export async function seedTemplateBehindAlb(
  aws: AwsSandbox,
  ecs: ECSClient,
  service: string,
  lb: Parameters<typeof seedLoadBalancer>[1],
): Promise<SeededLoadBalancer> {
  const alb = seedLoadBalancer(aws, { name: service, ...lb });
  await seedTemplate(ecs, service, {
    loadBalancers: [{ targetGroupArn: alb.targetGroupArn, containerName: 'app', containerPort: 80 }],
  });
  return alb;
}

/** Points `service` at a new revision of its family running `image` (as another deploy would), and waits. */
export async function runImage(ecs: ECSClient, service: string, image: string): Promise<void> {
  const current = await ecs.send(new DescribeServicesCommand({ services: [service] }));
  const td = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: current.services?.[0]?.taskDefinition }),
  );
  const t = td.taskDefinition;
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: t?.family,
      requiresCompatibilities: t?.requiresCompatibilities,
      networkMode: t?.networkMode,
      cpu: t?.cpu,
      memory: t?.memory,
      containerDefinitions: (t?.containerDefinitions ?? []).map((c) => ({ ...c, image })),
    }),
  );
  const taskDefinition = registered.taskDefinition?.taskDefinitionArn;
  await ecs.send(new UpdateServiceCommand({ service, taskDefinition }));
  await waitSteady(ecs, service);
}

/** Runs the bundle as the runner does for a `pull_request` event of PR `number`. */
export async function runOnPullRequest(
  environment: PreviewEnvironment,
  event: Parameters<GitHubSandbox['pullRequestEvent']>[0],
  inputs: Record<string, string>,
  token?: string,
) {
  const pr = await environment.github.pullRequestEvent(event);
  const { main } = await runAction({
    inputs: { 'poll-seconds': '0.5', 'github-token': token ?? pr.token, preview: 'true', ...inputs },
    env: pr.envFor(environment.env),
    post: false,
  });
  const headSha = (pr.payload.pull_request as { head: { sha: string } }).head.sha;
  return { main, headSha };
}

/** The `::warning::` lines of a step. */
export function warnings(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('::warning::'));
}
