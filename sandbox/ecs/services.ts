import { AwsError, invalidParameter } from '../http.js';
import { startDeployment } from './deployments.js';
import {
  arn,
  type Cluster,
  type DeploymentConfiguration,
  type EcsState,
  type Service,
  type TaskDefinition,
} from './model.js';
import { mergeStrategy } from './strategy-config.js';
import { parseTags, requireTaskDefinition } from './taskdefs.js';
import { isAlive, stopTask } from './tasks.js';
import { serviceTasks } from './model.js';

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function mergeDeploymentConfiguration(
  current: DeploymentConfiguration | undefined,
  raw: unknown,
): DeploymentConfiguration {
  const given = asRecord(raw);
  const breaker = asRecord(given.deploymentCircuitBreaker);
  const base = current ?? {
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    deploymentCircuitBreaker: { enable: false, rollback: false },
    strategy: 'ROLLING',
  };
  const cfg: DeploymentConfiguration = {
    maximumPercent: typeof given.maximumPercent === 'number' ? given.maximumPercent : base.maximumPercent,
    minimumHealthyPercent:
      typeof given.minimumHealthyPercent === 'number'
        ? given.minimumHealthyPercent
        : base.minimumHealthyPercent,
    deploymentCircuitBreaker:
      given.deploymentCircuitBreaker === undefined
        ? base.deploymentCircuitBreaker
        : { enable: breaker.enable === true, rollback: breaker.rollback === true },
    strategy: typeof given.strategy === 'string' ? given.strategy : base.strategy,
  };
  if (cfg.maximumPercent < 100) throw invalidParameter('maximumPercent must be at least 100.');
  if (cfg.minimumHealthyPercent < 0 || cfg.minimumHealthyPercent > 100) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  if (cfg.maximumPercent <= cfg.minimumHealthyPercent) {
    throw invalidParameter('maximumPercent must be greater than minimumHealthyPercent.');
  }
  // BLUE_GREEN, LINEAR, CANARY: their fields ride on the same object (strategies.ts).
  return Object.assign(cfg, mergeStrategy(base, raw));
}

function checkLaunch(td: TaskDefinition, launchType: string, networkConfiguration: unknown): void {
  if (launchType === 'FARGATE' && !td.compatibilities.includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  // Real ECS also refuses awsvpc without networkConfiguration ("Network Configuration must be provided when
  // networkMode 'awsvpc' is specified."); the sandbox has no VPC to check it against, so it accepts both.
  void networkConfiguration;
}

export function createService(
  state: EcsState,
  cluster: Cluster,
  body: Record<string, unknown>,
  now: number,
): Service {
  const name = body.serviceName;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw invalidParameter('Service name must be 1-255 letters, numbers, hyphens or underscores.');
  }
  const existing = cluster.services.get(name);
  if (existing && existing.status !== 'INACTIVE')
    throw invalidParameter('Creation of service was not idempotent.');
  const td = requireTaskDefinition(state, body.taskDefinition, 'TaskDefinition not found.');
  const strategy = Array.isArray(body.capacityProviderStrategy) ? body.capacityProviderStrategy : undefined;
  if (strategy && body.launchType !== undefined) {
    throw invalidParameter(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  // Only the Fargate providers exist here (no Auto Scaling groups are modelled): they run tasks as FARGATE.
  const providers = (strategy ?? []).map((s) => String(asRecord(s).capacityProvider));
  const unknown = providers.find((p) => p !== 'FARGATE' && p !== 'FARGATE_SPOT');
  if (unknown !== undefined) {
    throw invalidParameter(`The specified capacity provider ${unknown} was not found.`);
  }
  const launchType = strategy ? 'FARGATE' : typeof body.launchType === 'string' ? body.launchType : 'EC2';
  checkLaunch(td, launchType, body.networkConfiguration);
  const desiredCount = typeof body.desiredCount === 'number' ? body.desiredCount : 1;
  if (desiredCount < 0) throw invalidParameter('desiredCount must be at least 0.');
  const controller = asRecord(body.deploymentController).type ?? 'ECS';
  if (controller !== 'ECS' && controller !== 'CODE_DEPLOY') {
    throw invalidParameter(`The sandbox does not model the ${String(controller)} deployment controller.`);
  }
  const loadBalancers = checkLoadBalancers(td, body.loadBalancers) ?? [];
  const service: Service = {
    name,
    arn: arn(state.region, `service/${cluster.name}/${name}`),
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    desiredCount,
    taskDefinitionArn: td.arn,
    launchType,
    capacityProviderStrategy: strategy,
    platformVersion:
      typeof body.platformVersion === 'string'
        ? body.platformVersion
        : launchType === 'FARGATE'
          ? 'LATEST'
          : undefined,
    propagateTags: typeof body.propagateTags === 'string' ? body.propagateTags : 'NONE',
    enableExecuteCommand: body.enableExecuteCommand === true,
    enableECSManagedTags: body.enableECSManagedTags === true,
    networkConfiguration: body.networkConfiguration,
    deploymentConfiguration: mergeDeploymentConfiguration(undefined, body.deploymentConfiguration),
    deploymentController: controller,
    loadBalancers,
    deployments: [],
    events: [],
    createdAt: now,
    tags: parseTags(body.tags),
    currentServiceDeploymentArn: undefined,
  };
  cluster.services.set(name, service);
  startDeployment(state, service, td, now);
  return service;
}

/** `loadBalancers` as given (undefined when absent), each naming a container the revision has. */
function checkLoadBalancers(td: TaskDefinition, value: unknown): Record<string, unknown>[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const loadBalancers = value.map(asRecord);
  const names = ((td.input.containerDefinitions ?? []) as Array<{ name?: unknown }>).map((c) => c.name);
  for (const lb of loadBalancers) {
    if (lb.containerName !== undefined && !names.includes(lb.containerName)) {
      throw invalidParameter(
        `The container ${String(lb.containerName)} does not exist in the task definition.`,
      );
    }
  }
  return loadBalancers;
}

export function findService(cluster: Cluster, ref: unknown): Service | undefined {
  if (typeof ref !== 'string') return undefined;
  // A service ARN ends in service/<cluster>/<name> (or the old service/<name> form).
  return cluster.services.get(ref.startsWith('arn:') ? (ref.split('/').at(-1) ?? '') : ref);
}

function requireActiveService(cluster: Cluster, ref: unknown): Service {
  const service = findService(cluster, ref);
  if (!service || service.status === 'INACTIVE')
    throw new AwsError('ServiceNotFoundException', 'Service not found.');
  if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  return service;
}

export function updateService(
  state: EcsState,
  cluster: Cluster,
  body: Record<string, unknown>,
  now: number,
): Service {
  const service = requireActiveService(cluster, body.service);
  // ECS refuses the parameter itself, even with the current revision: CodeDeploy owns the task sets.
  if (service.deploymentController === 'CODE_DEPLOY' && body.taskDefinition !== undefined) {
    throw invalidParameter(
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  }
  const td =
    body.taskDefinition === undefined
      ? undefined
      : requireTaskDefinition(state, body.taskDefinition, 'TaskDefinition not found.');
  if (body.desiredCount !== undefined) {
    if (typeof body.desiredCount !== 'number' || body.desiredCount < 0) {
      throw invalidParameter('desiredCount must be at least 0.');
    }
  }
  const cfg =
    body.deploymentConfiguration === undefined
      ? service.deploymentConfiguration
      : mergeDeploymentConfiguration(service.deploymentConfiguration, body.deploymentConfiguration);
  const network = body.networkConfiguration ?? service.networkConfiguration;
  const target = td ?? requireTaskDefinition(state, service.taskDefinitionArn, 'TaskDefinition not found.');
  checkLaunch(target, service.launchType, network);
  // Rolling-update services take new load balancers here (an empty list removes them); CodeDeploy's own
  // deployment changes a blue/green service's (its CODE_DEPLOY refusal above comes first when both are sent).
  if (service.deploymentController === 'CODE_DEPLOY' && body.loadBalancers !== undefined) {
    throw invalidParameter(
      'Unable to update load balancers on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  }
  const loadBalancers = checkLoadBalancers(target, body.loadBalancers);
  // Validated; only now change anything.
  if (typeof body.desiredCount === 'number') service.desiredCount = body.desiredCount;
  service.deploymentConfiguration = cfg;
  service.networkConfiguration = network;
  if (loadBalancers) service.loadBalancers = loadBalancers;
  // As ECS: new load balancers start a deployment, whose new tasks register with them.
  const changed =
    (td !== undefined && td.arn !== service.taskDefinitionArn) ||
    body.forceNewDeployment === true ||
    body.networkConfiguration !== undefined ||
    loadBalancers !== undefined;
  if (changed) startDeployment(state, service, target, now);
  return service;
}

export function deleteService(
  state: EcsState,
  cluster: Cluster,
  body: Record<string, unknown>,
  now: number,
): Service {
  const service = requireActiveService(cluster, body.service);
  if (service.desiredCount > 0 && body.force !== true) {
    throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
  }
  service.desiredCount = 0;
  service.status = 'DRAINING';
  for (const t of serviceTasks(state, service)) {
    if (isAlive(t)) stopTask(t, now, 'Service deleted');
  }
  return service;
}
