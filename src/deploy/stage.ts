import * as core from '@actions/core';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { DeployInputs } from '../inputs/deploy.js';
import { updateService } from './update.js';
import { watchRollout, type RolloutResult } from './watch.js';

/** The deploy stage: update the service to the registered revision and, unless told not to, watch it. */
export async function deployStage(
  ecs: ECSClient,
  inputs: DeployInputs,
  taskDefinitionArn: string,
  log: (line: string) => void,
): Promise<RolloutResult | undefined> {
  const { cluster, service, wait, pollSeconds, timeoutMinutes } = inputs;
  const target = await updateService(ecs, { cluster, service, taskDefinitionArn });
  log(
    `Updated service ${service} in cluster ${cluster}: deployment ${target.deploymentId ?? '(id not reported)'}`,
  );
  core.setOutput('deployment-id', target.deploymentId ?? '');

  // Not in a group: a rollout is what people watch live, and a collapsed group hides it.
  const rollout = wait ? await watchRollout(ecs, target, { pollSeconds, timeoutMinutes, log }) : undefined;
  core.setOutput('rollout-state', rollout?.state ?? 'NOT_WAITED');
  return rollout;
}
