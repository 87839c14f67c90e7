import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { inputError, UserError } from './errors.js';
import { checkImageSource } from './image/stage.js';
import type { Inputs } from './inputs.js';
import { planTaskDefinition, type TaskDefinitionPlan } from './taskdef/stage.js';

/** Everything known before the first write. */
export interface Plan {
  taskDefinition: TaskDefinitionPlan;
}

/**
 * Reads and checks only. Every mistake a user can make in the step's configuration surfaces here, so a bad
 * input never leaves a pushed image or a registered revision behind.
 */
export async function preparePlan(
  ecs: ECSClient,
  inputs: Inputs,
  log: (line: string) => void,
): Promise<Plan> {
  const { cluster, service } = inputs.deploy;
  await assertServiceActive(ecs, cluster, service);
  const taskDefinition = await planTaskDefinition(ecs, inputs.taskDefinition, { cluster, service }, log);
  await checkImageSource(inputs.image);
  return { taskDefinition };
}

async function assertServiceActive(ecs: ECSClient, cluster: string, service: string): Promise<void> {
  let found;
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    found = out.services?.find((s) => s.status !== 'INACTIVE');
  } catch (err) {
    if (err instanceof Error && err.name === 'ClusterNotFoundException') {
      throw inputError('cluster', cluster, 'an existing ECS cluster');
    }
    throw err;
  }
  if (!found)
    throw new UserError(`Service '${service}' was not found in cluster '${cluster}' (or is inactive).`);
}
