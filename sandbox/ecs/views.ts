import {
  serviceTasks,
  type Deployment,
  type EcsState,
  type Service,
  type ServiceDeployment,
  type ServiceRevision,
  type Task,
} from './model.js';
import { stagedView, trafficWeights } from './strategies.js';
import { isAlive, isPending } from './tasks.js';

/** Wire shapes (as the SDK's output types name them); Dates become epoch seconds in http.ts. */

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function counts(tasks: Task[]): { runningCount: number; pendingCount: number } {
  const alive = tasks.filter(isAlive);
  return {
    runningCount: alive.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: alive.filter(isPending).length,
  };
}

/**
 * Fargate's platform as ECS reports it: a deployment names the version LATEST resolved to (1.4.0 on Linux)
 * and the family (Linux) its tasks run on.
 */
function fargatePlatform(service: Service): Record<string, string> {
  const fargate =
    service.launchType === 'FARGATE' ||
    (service.capacityProviderStrategy ?? []).some((s) =>
      String((s as { capacityProvider?: unknown }).capacityProvider).startsWith('FARGATE'),
    );
  if (!fargate) return {};
  const version = service.platformVersion ?? 'LATEST';
  return { platformVersion: version === 'LATEST' ? '1.4.0' : version, platformFamily: 'Linux' };
}

function deploymentView(service: Service, d: Deployment, tasks: Task[]): Record<string, unknown> {
  const mine = tasks.filter((t) => t.startedBy === d.id);
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinitionArn,
    // ECS drains every non-primary deployment to zero.
    desiredCount: d.status === 'PRIMARY' ? service.desiredCount : 0,
    ...counts(mine),
    failedTasks: d.failedTasks,
    createdAt: date(d.createdAt),
    updatedAt: date(d.updatedAt),
    launchType: service.launchType,
    ...fargatePlatform(service),
    networkConfiguration: service.networkConfiguration,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

export function serviceView(state: EcsState, service: Service): Record<string, unknown> {
  const tasks = serviceTasks(state, service);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    ...counts(tasks),
    ...(service.capacityProviderStrategy
      ? { capacityProviderStrategy: service.capacityProviderStrategy }
      : { launchType: service.launchType }),
    ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments: service.deployments.map((d) => deploymentView(service, d, tasks)),
    events: service.events.map((e) => ({ id: e.id, createdAt: date(e.createdAt), message: e.message })),
    createdAt: date(service.createdAt),
    currentServiceDeployment: service.currentServiceDeploymentArn,
    currentServiceRevisions: service.deployments.map((d) => ({
      arn: d.serviceRevisionArn,
      requestedTaskCount: d.status === 'PRIMARY' ? service.desiredCount : 0,
      ...taskCounts(tasks.filter((t) => t.startedBy === d.id)),
    })),
    networkConfiguration: service.networkConfiguration,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: service.deploymentController },
    createdBy: 'arn:aws:iam::123456789012:user/sandbox',
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
  };
}

export function taskView(task: Task): Record<string, unknown> {
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: `service:${task.serviceName}`,
    startedBy: task.startedBy,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: task.launchType,
    cpu: task.cpu,
    memory: task.memory,
    availabilityZone: `${task.arn.split(':')[3]}a`,
    createdAt: date(task.createdAt),
    pullStartedAt: date(task.pullStartedAt),
    pullStoppedAt: date(task.pullStoppedAt),
    startedAt: date(task.startedAt),
    stoppingAt: date(task.stoppingAt),
    executionStoppedAt: date(task.executionStoppedAt),
    stoppedAt: date(task.stoppedAt),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    healthStatus: task.healthStatus ?? 'UNKNOWN',
    version: 1,
    containers: task.containers.map((c) => ({
      containerArn: `${task.arn.replace(':task/', ':container/')}/${c.name}`,
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      imageDigest: c.imageDigest,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      healthStatus: c.healthStatus ?? 'UNKNOWN',
    })),
  };
}

function taskCounts(tasks: Task[]): { runningTaskCount: number; pendingTaskCount: number } {
  const c = counts(tasks);
  return { runningTaskCount: c.runningCount, pendingTaskCount: c.pendingCount };
}

function revisionSummary(
  state: EcsState,
  revisionArn: string,
  service: Service | undefined,
  target: boolean,
) {
  const deployment = service?.deployments.find((d) => d.serviceRevisionArn === revisionArn);
  const tasks =
    service && deployment ? serviceTasks(state, service).filter((t) => t.startedBy === deployment.id) : [];
  return {
    arn: revisionArn,
    requestedTaskCount: target && service ? service.desiredCount : 0,
    ...taskCounts(tasks),
  };
}

function findServiceFor(state: EcsState, sd: ServiceDeployment): Service | undefined {
  for (const c of state.clusters.values()) {
    const s = c.services.get(sd.serviceName);
    if (s && s.arn === sd.serviceArn) return s;
  }
  return undefined;
}

export function serviceDeploymentView(state: EcsState, sd: ServiceDeployment): Record<string, unknown> {
  const service = findServiceFor(state, sd);
  return {
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    createdAt: date(sd.createdAt),
    startedAt: date(sd.startedAt),
    finishedAt: date(sd.finishedAt),
    stoppedAt: date(sd.stoppedAt),
    updatedAt: date(sd.updatedAt),
    sourceServiceRevisions: sd.sourceRevisionArns.map((a) => ({
      ...revisionSummary(state, a, service, false),
      ...trafficWeights(sd, false),
    })),
    targetServiceRevision: {
      ...revisionSummary(state, sd.targetRevisionArn, service, true),
      ...trafficWeights(sd, true),
    },
    status: sd.status,
    statusReason: sd.statusReason,
    deploymentConfiguration: sd.deploymentConfiguration,
    rollback: sd.rollback && { ...sd.rollback, startedAt: date(sd.rollback.startedAt) },
    deploymentCircuitBreaker: sd.circuitBreaker,
    // lifecycleStage and alarms of BLUE_GREEN, LINEAR, CANARY; alarms DISABLED otherwise.
    ...stagedView(sd),
  };
}

export function serviceDeploymentBrief(sd: ServiceDeployment): Record<string, unknown> {
  return {
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    createdAt: date(sd.createdAt),
    startedAt: date(sd.startedAt),
    finishedAt: date(sd.finishedAt),
    targetServiceRevisionArn: sd.targetRevisionArn,
    status: sd.status,
    statusReason: sd.statusReason,
  };
}

export function serviceRevisionView(rev: ServiceRevision): Record<string, unknown> {
  return {
    serviceRevisionArn: rev.arn,
    serviceArn: rev.serviceArn,
    clusterArn: rev.clusterArn,
    taskDefinition: rev.taskDefinitionArn,
    launchType: rev.launchType,
    networkConfiguration: rev.networkConfiguration,
    createdAt: date(rev.createdAt),
    loadBalancers: rev.loadBalancers,
    serviceRegistries: [],
  };
}
