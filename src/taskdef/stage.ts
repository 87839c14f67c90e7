import * as core from '@actions/core';
import type { ECSClient, RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs';
import type { TaskDefinitionInputs } from '../inputs/taskdef.js';
import { loadServiceTaskDefinition, loadTaskDefinitionFile, type TaskDefinitionDoc } from './load.js';
import { renderTaskDefinition, resolveContainers } from './render.js';
import { writeRenderedTaskDefinition } from './write.js';

/** Everything known about the task definition before the first write. */
export interface TaskDefinitionPlan {
  base: TaskDefinitionDoc;
  /** Where the base came from, for the log: a file path or the service's current revision ARN. */
  source: string;
  tags: Tag[];
  containers: string[];
}

/** Reads and checks only: loads the base and resolves which containers change. */
export async function planTaskDefinition(
  ecs: ECSClient,
  inputs: TaskDefinitionInputs,
  service: { cluster: string; service: string },
  log: (line: string) => void,
): Promise<TaskDefinitionPlan> {
  let loaded: Omit<TaskDefinitionPlan, 'containers'>;
  if (inputs.source !== undefined) {
    loaded = { base: await loadTaskDefinitionFile(inputs.source), source: inputs.source, tags: [] };
  } else {
    const current = await loadServiceTaskDefinition(ecs, service.cluster, service.service);
    loaded = { base: current.taskDefinition, source: current.arn, tags: current.tags };
  }
  const containers = resolveContainers(loaded.base, inputs.containers);
  log(`Task definition: ${loaded.source}`);
  log(`Containers to update: ${containers.join(', ')}`);
  return { ...loaded, containers };
}

/** The rendering stage: the new image in place, written to disk (output `task-definition`). */
export async function renderStage(
  plan: TaskDefinitionPlan,
  imageUri: string,
): Promise<RegisterTaskDefinitionCommandInput> {
  const rendered = renderTaskDefinition(plan.base, { containers: plan.containers, image: imageUri });
  core.setOutput('task-definition', await writeRenderedTaskDefinition(rendered));
  const input = { ...rendered } as unknown as RegisterTaskDefinitionCommandInput;
  if (plan.tags.length > 0) input.tags = plan.tags;
  return input;
}
