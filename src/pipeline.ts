import * as core from '@actions/core';
import { createClients } from './aws/clients.js';
import { registerTaskDefinition } from './deploy/register.js';
import { deployStage } from './deploy/stage.js';
import { UserError } from './errors.js';
import { publishImage } from './image/stage.js';
import type { Inputs } from './inputs.js';
import { preparePlan } from './plan.js';
import { writeSummary } from './report/summary.js';
import { renderStage } from './taskdef/stage.js';

const log = (line: string): void => core.info(line);

/**
 * The whole step after inputs are valid: plan (reads only), publish, render, register, deploy and watch,
 * report. Each stage lives with its area (image/, taskdef/, deploy/) and sets its own outputs.
 */
export async function ship(inputs: Inputs): Promise<void> {
  const { ecs, ecr } = createClients(inputs.awsRegion);

  const plan = await core.group('Plan', () => preparePlan(ecs, inputs, log));
  const image = await core.group(`Publish ${inputs.image.image}`, () => publishImage(ecr, inputs.image, log));

  const registered = await core.group('Register task definition', async () => {
    const result = await registerTaskDefinition(ecs, await renderStage(plan.taskDefinition, image.imageUri));
    log(`Registered ${result.arn}`);
    core.setOutput('task-definition-arn', result.arn);
    return result;
  });

  const rollout = await deployStage(ecs, inputs.deploy, registered.arn, log);

  await writeSummary({
    image: inputs.image.image,
    imageUri: image.imageUri,
    digest: image.digest,
    tags: inputs.image.tags,
    taskDefinitionArn: registered.arn,
    revision: registered.revision,
    cluster: inputs.deploy.cluster,
    service: inputs.deploy.service,
    rollout,
  });

  if (rollout && !rollout.success) throw new UserError(`Rollout ${rollout.state}: ${rollout.reason}`);
}
