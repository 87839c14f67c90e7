// Starting one service's rollout: UpdateService (or CreateService for a preview, or a CodeDeploy deployment),
// or nothing at all when the service already runs the revision (unchanged.ts). stage.ts watches what started.
import type { DeploymentConfiguration, ECSClient, LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { targetGroupNameOf } from '../aws/arn.js';
import { describeError } from '../errors.js';
import type { DeployInputs } from '../inputs/deploy.js';
import type { StrategyInputs } from '../inputs/strategy.js';
import { deployWithCodeDeploy } from './codedeploy/deployment.js';
import type { ServiceOutcome } from './stage.js';
import { deploymentConfigurationFor, describeStrategy, isCodeDeploy } from './strategy.js';
import { unchangedService } from './unchanged.js';
import { updateService, type StartedTarget } from './update.js';

/** A CODE_DEPLOY service: a CodeDeploy deployment instead of UpdateService (codedeploy.ts). */
async function deployCodeDeployService(
  ecs: ECSClient,
  inputs: DeployInputs,
  described: Service,
  codeDeploy: NonNullable<StrategyInputs['codeDeploy']>,
  taskDefinitionArn: string,
  log: (line: string) => void,
): Promise<ServiceOutcome> {
  const service = described.serviceName ?? '';
  const rollout = await deployWithCodeDeploy({
    region: await ecs.config.region(),
    cluster: inputs.cluster,
    service: described,
    taskDefinitionArn,
    application: codeDeploy.application,
    deploymentGroup: codeDeploy.deploymentGroup,
    pollSeconds: inputs.pollSeconds,
    timeoutMinutes: inputs.timeoutMinutes,
    log,
    ecs,
    rollback: inputs.rollback,
  });
  const { state, success, reason, deploymentId } = rollout;
  return { service, state, success, reason, deploymentId, rollout };
}

/** A service after its update call: already decided (the call failed, or not watched), or to be watched. */
export type Started =
  | { service: string; outcome: ServiceOutcome }
  | { service: string; target: StartedTarget }
  /** CodeDeploy creates and watches its deployment in one go. */
  | { service: string; later: () => Promise<ServiceOutcome> };

/** A service the step creates instead of updating (a preview); deploy/preview.ts makes the call. */
export type CreateService = (
  taskDefinitionArn: string,
  /** What the strategy inputs make of the template's configuration; undefined = the template's as it is. */
  deploymentConfiguration: DeploymentConfiguration | undefined,
) => Promise<StartedTarget>;

/**
 * A service to put behind load balancer target groups as it is updated (a preview made before
 * `preview-listener-arn` was set): makes the target group and rule, then gives UpdateService's `loadBalancers`.
 */
export type AttachLoadBalancers = () => Promise<LoadBalancer[]>;

export async function startService(
  ecs: ECSClient,
  inputs: DeployInputs,
  service: string,
  taskDefinitionArn: string,
  log: (line: string) => void,
  strategy: {
    inputs: StrategyInputs | undefined;
    described: Service | undefined;
    create?: CreateService;
    attach?: AttachLoadBalancers;
  },
): Promise<Started> {
  const { cluster, wait, desiredCount, forceNewDeployment } = inputs;
  const codeDeploy = strategy.inputs?.codeDeploy;
  const described = strategy.described;
  if (described && isCodeDeploy(described) && codeDeploy) {
    return {
      service,
      later: () => deployCodeDeployService(ecs, inputs, described, codeDeploy, taskDefinitionArn, log),
    };
  }
  const deploymentConfiguration = deploymentConfigurationFor(
    strategy.described?.deploymentConfiguration,
    strategy.inputs,
  );
  // A service to attach changes even when its revision does not: never "nothing to deploy".
  const unchanged =
    strategy.create || strategy.attach
      ? undefined
      : unchangedService(described, taskDefinitionArn, {
          forceNewDeployment,
          desiredCount,
          deploymentConfiguration,
        });
  if (unchanged) {
    log(
      `Nothing to deploy to service ${service} in cluster ${cluster}: ${unchanged} and the task definition is unchanged; ` +
        'UpdateService not called (force-new-deployment: true starts a new deployment anyway)',
    );
    const reason = `nothing to deploy: ${unchanged}`;
    const outcome: ServiceOutcome = {
      service,
      state: 'SUCCESSFUL',
      success: true,
      reason,
      deploymentId: undefined,
      rollout: undefined,
      unchanged: true,
    };
    return { service, outcome };
  }
  let target: StartedTarget;
  let loadBalancers: LoadBalancer[] | undefined;
  try {
    loadBalancers = strategy.attach && (await strategy.attach());
    target = strategy.create
      ? await strategy.create(taskDefinitionArn, deploymentConfiguration)
      : await updateService(ecs, {
          cluster,
          service,
          taskDefinitionArn,
          desiredCount,
          forceNewDeployment,
          deploymentConfiguration,
          loadBalancers,
        });
  } catch (err) {
    const reason = describeError(err);
    log(`${strategy.create ? 'CreateService' : 'UpdateService'} failed: ${reason}`);
    const outcome: ServiceOutcome = {
      service,
      state: 'FAILED',
      success: false,
      reason,
      deploymentId: undefined,
      rollout: undefined,
    };
    return { service, outcome };
  }
  const count = desiredCount === undefined ? '' : `, desired count ${desiredCount}`;
  const forced = forceNewDeployment ? ', forced new deployment' : '';
  const how = deploymentConfiguration ? `, strategy ${describeStrategy(deploymentConfiguration)}` : '';
  const behind = loadBalancers?.length
    ? `, behind target group ${loadBalancers.map((lb) => targetGroupNameOf(lb.targetGroupArn) ?? String(lb.targetGroupArn)).join(', ')}`
    : '';
  const done = strategy.create ? 'Created' : 'Updated';
  log(
    `${done} service ${service} in cluster ${cluster}${strategy.create ? '' : `${count}${forced}${how}${behind}`}: deployment ${target.deploymentId ?? '(id not reported)'}`,
  );
  if (!wait) {
    const outcome: ServiceOutcome = {
      service,
      state: 'NOT_WAITED',
      success: true,
      reason: 'rollout not watched',
      deploymentId: target.deploymentId,
      rollout: undefined,
    };
    return { service, outcome };
  }
  return { service, target };
}
