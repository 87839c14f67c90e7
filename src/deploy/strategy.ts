import type { DeploymentConfiguration, Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import type { StrategyInputs } from '../inputs/strategy.js';

/**
 * ECS-native deployment strategies (ROLLING, BLUE_GREEN, LINEAR, CANARY) and which services CodeDeploy
 * deploys instead. Pure: the plan calls `checkStrategyPlan` on the services it described, the deploy stage
 * `deploymentConfigurationFor` before UpdateService, and the watcher `trafficLine` on each poll.
 */

/** The service's deployment controller; ECS when DescribeServices does not say. */
function controllerOf(service: Service | undefined): string {
  return service?.deploymentController?.type ?? 'ECS';
}

export function isCodeDeploy(service: Service | undefined): boolean {
  return controllerOf(service) === 'CODE_DEPLOY';
}

const name = (service: Service) => service.serviceName ?? service.serviceArn ?? '?';

/** The container and port CodeDeploy's AppSpec needs: the service's load balancer that names both. */
export function loadBalancerInfo(
  service: Service,
): { containerName: string; containerPort: number } | undefined {
  const lb = service.loadBalancers?.find((l) => l.containerName && l.containerPort !== undefined);
  return lb?.containerName && lb.containerPort !== undefined
    ? { containerName: lb.containerName, containerPort: lb.containerPort }
    : undefined;
}

/**
 * Read-only checks before the first write: a CODE_DEPLOY service needs the CodeDeploy inputs and a load
 * balancer naming a container and port, and takes no ECS strategy; CodeDeploy inputs need such a service.
 */
export function checkStrategyPlan(services: Service[], inputs: StrategyInputs | undefined): void {
  const codeDeploy = services.filter(isCodeDeploy);
  for (const service of codeDeploy) {
    const where = `Service '${name(service)}' uses the CODE_DEPLOY deployment controller`;
    if (inputs?.strategy !== undefined) {
      throw new UserError(
        `${where}: its strategy is the CodeDeploy deployment group's, so 'deployment-strategy' cannot apply. Leave it empty.`,
      );
    }
    if (!inputs?.codeDeploy) {
      throw new UserError(`${where}: set 'codedeploy-application' and 'codedeploy-deployment-group'.`);
    }
    if (!loadBalancerInfo(service)) {
      throw new UserError(
        `${where}, but has no load balancer with a container name and port, which the AppSpec needs.`,
      );
    }
  }
  if (inputs?.codeDeploy && codeDeploy.length === 0) {
    throw new UserError(
      `Input 'codedeploy-application' is set, but no service given uses the CODE_DEPLOY deployment controller.`,
    );
  }
}

const STRATEGY_KEYS = [
  'strategy',
  'bakeTimeInMinutes',
  'linearConfiguration',
  'canaryConfiguration',
] as const;

/**
 * The deploymentConfiguration UpdateService gets: the service's own (so breaker, alarms, percentages and
 * hooks survive) with the strategy and its settings from the inputs; a setting not given keeps the
 * service's. undefined = send none (no strategy input): the service rolls out as configured.
 */
export function deploymentConfigurationFor(
  current: DeploymentConfiguration | undefined,
  inputs: StrategyInputs | undefined,
): DeploymentConfiguration | undefined {
  const strategy = inputs?.strategy;
  if (strategy === undefined) return undefined;
  const out: DeploymentConfiguration = { ...current };
  for (const key of STRATEGY_KEYS) delete out[key];
  out.strategy = strategy;
  if (strategy === 'ROLLING') return out;
  const bake = inputs?.bakeTimeMinutes ?? current?.bakeTimeInMinutes;
  if (bake !== undefined) out.bakeTimeInMinutes = bake;
  if (strategy === 'LINEAR') {
    const linear = { ...current?.linearConfiguration };
    if (inputs?.linear?.stepPercent !== undefined) linear.stepPercent = inputs.linear.stepPercent;
    if (inputs?.linear?.stepBakeMinutes !== undefined)
      linear.stepBakeTimeInMinutes = inputs.linear.stepBakeMinutes;
    if (Object.keys(linear).length > 0) out.linearConfiguration = linear;
  }
  if (strategy === 'CANARY') {
    const canary = { ...current?.canaryConfiguration };
    if (inputs?.canary?.percent !== undefined) canary.canaryPercent = inputs.canary.percent;
    if (inputs?.canary?.bakeMinutes !== undefined) canary.canaryBakeTimeInMinutes = inputs.canary.bakeMinutes;
    if (Object.keys(canary).length > 0) out.canaryConfiguration = canary;
  }
  return out;
}

const minutes = (n: number | undefined) => (n === undefined ? '?' : `${n} min`);

/** `CANARY: 10% for 1 min, then the rest; bake 1 min`, for the log line after UpdateService. */
export function describeStrategy(cfg: DeploymentConfiguration | undefined): string {
  const strategy = cfg?.strategy ?? 'ROLLING';
  if (strategy === 'ROLLING') return 'ROLLING';
  const parts: string[] = [];
  if (strategy === 'LINEAR') {
    const l = cfg?.linearConfiguration;
    parts.push(
      `${l?.stepPercent ?? 'default'}% per step, ${minutes(l?.stepBakeTimeInMinutes)} between steps`,
    );
  }
  if (strategy === 'CANARY') {
    const c = cfg?.canaryConfiguration;
    parts.push(`${c?.canaryPercent ?? 'default'}% for ${minutes(c?.canaryBakeTimeInMinutes)}, then the rest`);
  }
  if (cfg?.bakeTimeInMinutes !== undefined) parts.push(`bake ${minutes(cfg.bakeTimeInMinutes)}`);
  return parts.length > 0 ? `${strategy}: ${parts.join('; ')}` : strategy;
}

const pct = (n: number) => `${Math.round(n * 10) / 10}%`;

/**
 * `traffic: production 25% new / 75% old, test 100% new`, from the weights ECS requested on the service
 * deployment's revisions; undefined for a deployment without weights (ROLLING).
 */
export function trafficLine(sd: ServiceDeployment): string | undefined {
  const target = sd.targetServiceRevision;
  const production = target?.requestedProductionTrafficWeight;
  const test = target?.requestedTestTrafficWeight;
  if (production === undefined && test === undefined) return undefined;
  const parts: string[] = [];
  if (production !== undefined)
    parts.push(`production ${pct(production)} new / ${pct(100 - production)} old`);
  if (test !== undefined) parts.push(`test ${pct(test)} new`);
  return `traffic: ${parts.join(', ')}`;
}
