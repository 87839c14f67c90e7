import {
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
  type LoadBalancer,
} from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import { accessDenied, classifyAwsError, describeAwsError } from '../aws/errors.js';
import { sameTaskDefinition } from './rollout/identify.js';
import type { RolloutTarget } from './rollout/verdict.js';

/** The rollout to watch, and the service deployment ECS names as current right after the call. */
export type StartedTarget = RolloutTarget & { currentServiceDeployment: string | undefined };

/**
 * Points the service at our task definition. The clock is read before the call so the watcher can
 * tell our deployment and events from older ones.
 */
export async function updateService(
  ecs: ECSClient,
  args: {
    cluster: string;
    service: string;
    taskDefinitionArn: string;
    /** Left out of the call when undefined, so the service keeps its count. */
    desiredCount?: number | undefined;
    forceNewDeployment?: boolean | undefined;
    /** A deployment strategy to switch to (strategy.ts); left out when undefined. */
    deploymentConfiguration?: DeploymentConfiguration | undefined;
    /** Replaces the service's load balancers (ECS rolls the tasks onto them); left out when undefined. */
    loadBalancers?: LoadBalancer[] | undefined;
  },
): Promise<StartedTarget> {
  const startedAt = new Date();
  let out;
  try {
    out = await ecs.send(
      new UpdateServiceCommand({
        cluster: args.cluster,
        service: args.service,
        taskDefinition: args.taskDefinitionArn,
        ...(args.desiredCount === undefined ? {} : { desiredCount: args.desiredCount }),
        ...(args.forceNewDeployment ? { forceNewDeployment: true } : {}),
        ...(args.deploymentConfiguration ? { deploymentConfiguration: args.deploymentConfiguration } : {}),
        ...(args.loadBalancers ? { loadBalancers: args.loadBalancers } : {}),
      }),
    );
  } catch (err) {
    const where = `service '${args.service}' in cluster '${args.cluster}'`;
    switch (classifyAwsError(err)) {
      case 'transient':
        throw err;
      case 'denied':
        throw accessDenied(`updating ${where}`, 'ecs:UpdateService', err);
      case 'not-found':
        throw new UserError(`Cannot update ${where}: ${describeAwsError(err)}`);
      default:
        throw new UserError(`ECS refused to update ${where}: ${describeAwsError(err)}`);
    }
  }
  const primary = out.service?.deployments?.find(
    (d) => d.status === 'PRIMARY' && sameTaskDefinition(d.taskDefinition, args.taskDefinitionArn),
  );
  return {
    cluster: args.cluster,
    service: args.service,
    taskDefinitionArn: args.taskDefinitionArn,
    startedAt,
    deploymentId: primary?.id,
    currentServiceDeployment: out.service?.currentServiceDeployment,
  };
}
