import * as core from '@actions/core';
import { createClients } from './aws/clients.js';
import { containersOf } from './deploy/run-task.js';
import { deployStage } from './deploy/stage.js';
import { UserError } from './errors.js';
import { scanGateStage } from './image/ecr/scan.js';
import { publishImage } from './image/stage.js';
import type { Inputs } from './inputs.js';
import { preparePlan } from './plan.js';
import { writeSummary } from './report/summary.js';
import { dryRunStage, registerStage, renderStage } from './taskdef/stage.js';

const log = (line: string): void => core.info(line);

/**
 * The whole step after inputs are valid: plan (reads only), publish, render, register, deploy and watch,
 * report. Each stage lives with its area (image/, taskdef/, deploy/) and sets its own outputs.
 */
export async function ship(inputs: Inputs): Promise<void> {
  const { ecs, ecr } = createClients(inputs.awsRegion);

  const plan = await core.group('Plan', () => preparePlan(ecs, inputs, log, ecr));
  // Undefined when every container names its own image (`name=IMAGE`): nothing to push.
  const imageInputs = plan.image;
  if (inputs.taskDefinition.dryRun) {
    await core.group('Dry run', () => dryRunStage(ecr, plan.taskDefinition, imageInputs, plan.ecr, log));
    return;
  }
  const image = imageInputs
    ? await core.group(`Publish ${imageInputs.image}`, () => publishImage(ecr, imageInputs, log, plan.ecr))
    : undefined;
  const { scanGate } = inputs.registry;
  if (image && scanGate && plan.ecr) {
    const { repository } = plan.ecr;
    const pollMs = inputs.deploy.pollSeconds * 1000;
    await core.group('Scan gate', () =>
      scanGateStage(ecr, repository, image.digest, scanGate, { pollMs, log }),
    );
  }

  const registered = await core.group('Register task definition', async () =>
    registerStage(ecs, plan.taskDefinition, await renderStage(plan.taskDefinition, image?.imageUri), log),
  );

  const outcome = await deployStage(
    ecs,
    inputs.deploy,
    {
      arn: registered.arn,
      containers: containersOf(plan.taskDefinition.base),
      runTaskContainer: plan.runTaskContainer,
    },
    log,
    { inputs: inputs.strategy, described: plan.services },
  );

  await writeSummary({
    image: imageInputs?.image ?? '',
    imageUri: image?.imageUri ?? '',
    digest: image?.digest ?? '',
    tags: imageInputs?.tags ?? [],
    taskDefinitionArn: registered.arn,
    revision: registered.revision,
    cluster: inputs.deploy.cluster,
    outcome,
  });

  if (outcome.failure !== undefined) throw new UserError(outcome.failure);
}
