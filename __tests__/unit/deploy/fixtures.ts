import type { Deployment, Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs';
import type { RolloutTarget } from '../../../src/deploy/rollout/verdict.js';
import type { DeployInputs, RunTaskInputs } from '../../../src/inputs/deploy.js';

export const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
export const STARTED = new Date('2026-11-22T10:00:00Z');
export const at = (seconds: number) => new Date(STARTED.getTime() + seconds * 1000);

export const target: RolloutTarget = {
  cluster: 'prod',
  service: 'web',
  taskDefinitionArn: TD(7),
  startedAt: STARTED,
  deploymentId: 'ecs-svc/new',
};

export function dep(rev: number, over: Partial<Deployment> = {}): Deployment {
  return {
    id: rev === 7 ? 'ecs-svc/new' : `ecs-svc/old${rev}`,
    status: rev === 7 ? 'PRIMARY' : 'ACTIVE',
    taskDefinition: TD(rev),
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    createdAt: rev === 7 ? at(1) : at(-3600),
    ...over,
  };
}

export function svc(deployments: Deployment[], over: Partial<Service> = {}): Service {
  return { serviceName: 'web', status: 'ACTIVE', desiredCount: 2, deployments, events: [], ...over };
}

export function sd(status: string, over: Partial<ServiceDeployment> = {}): ServiceDeployment {
  return {
    serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc',
    status: status as ServiceDeployment['status'],
    ...over,
  };
}

export function stoppedTask(id: string, over: Partial<Task> = {}): Task {
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
    taskDefinitionArn: TD(7),
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stoppedAt: at(30),
    stoppedReason: 'Essential container in task exited',
    containers: [{ name: 'app', exitCode: 1 }],
    ...over,
  };
}

/** The image PULL_REASON says could not be pulled. */
export const PULL_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:abc';
export const PULL_REASON =
  'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ' +
  `${PULL_IMAGE}: not found`;

/** The deploy stage's inputs as the parser would give them for `services`; tests override what they test. */
/** `run-task: true` and nothing else set. */
export function runTaskInputs(over: Partial<RunTaskInputs> = {}): RunTaskInputs {
  return {
    command: undefined,
    container: undefined,
    subnets: [],
    securityGroups: [],
    assignPublicIp: undefined,
    ...over,
  };
}

export function deployInputs(over: Partial<DeployInputs> = {}): DeployInputs {
  const services = over.services ?? ['web'];
  return {
    cluster: 'prod',
    service: services[0] ?? 'web',
    services,
    wait: true,
    timeoutMinutes: 30,
    pollSeconds: 0.1,
    desiredCount: undefined,
    forceNewDeployment: false,
    runTask: undefined,
    keepRevisions: 0,
    // Rollback has its own tests; elsewhere a failed watch is reported as it is.
    rollback: 'false',
    ...over,
  };
}
