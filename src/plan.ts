import { DescribeServicesCommand, type ECSClient, type Tag } from '@aws-sdk/client-ecs';
import { inputError, UserError } from './errors.js';
import { imageExists } from './image/docker.js';
import type { Inputs } from './inputs.js';
import { loadServiceTaskDefinition, loadTaskDefinitionFile, type TaskDefinitionDoc } from './taskdef/load.js';
import { resolveContainers } from './taskdef/render.js';

/** Everything known before the first write: the base task definition and which containers change. */
export interface Plan {
  taskDefinition: TaskDefinitionDoc;
  /** Where the base came from, for the log: a file path or the service's current revision ARN. */
  source: string;
  tags: Tag[];
  containers: string[];
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
  let plan: Omit<Plan, 'containers'>;
  const { cluster, service } = inputs.deploy;
  const file = inputs.taskDefinition.source;
  if (file !== undefined) {
    const taskDefinition = await loadTaskDefinitionFile(file);
    await assertServiceActive(ecs, cluster, service);
    plan = { taskDefinition, source: file, tags: [] };
  } else {
    const current = await loadServiceTaskDefinition(ecs, cluster, service);
    plan = { taskDefinition: current.taskDefinition, source: current.arn, tags: current.tags };
  }
  const containers = resolveContainers(plan.taskDefinition, inputs.taskDefinition.containers);
  const { image } = inputs.image;
  if (!(await imageExists(image))) {
    throw inputError('image', image, 'an image the local Docker daemon has (build or pull it first)');
  }
  log(`Task definition: ${plan.source}`);
  log(`Containers to update: ${containers.join(', ')}`);
  return { ...plan, containers };
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
