import * as core from '@actions/core';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { createClients } from './aws/clients.js';
import { registerTaskDefinition } from './deploy/register.js';
import { updateService } from './deploy/update.js';
import { watchRollout, type RolloutResult } from './deploy/watch.js';
import { UserError } from './errors.js';
import { getEcrLogin } from './image/ecr-login.js';
import { dockerLogin, pushImage } from './image/docker.js';
import type { Inputs } from './inputs.js';
import { preparePlan } from './plan.js';
import { writeSummary } from './report/summary.js';
import { renderTaskDefinition } from './taskdef/render.js';
import { writeRenderedTaskDefinition } from './taskdef/write.js';

const log = (line: string): void => core.info(line);

/** The whole step after inputs are valid: plan (reads only), push, render, register, update, watch. */
export async function ship(inputs: Inputs): Promise<void> {
  const { ecs, ecr } = createClients(inputs.awsRegion);

  const plan = await core.group('Plan', () => preparePlan(ecs, inputs, log));

  const { image, repository, tags } = inputs.image;
  const pushed = await core.group(`Push ${image} to Amazon ECR`, async () => {
    const login = await getEcrLogin(ecr);
    await dockerLogin(login);
    log(`Logged in to ${login.registry}`);
    return pushImage({ image, registry: login.registry, repository, tags, log });
  });
  core.setOutput('image-uri', pushed.imageUri);
  core.setOutput('image-digest', pushed.digest);

  const rendered = renderTaskDefinition(plan.taskDefinition, {
    containers: plan.containers,
    image: pushed.imageUri,
  });
  const renderedPath = await writeRenderedTaskDefinition(rendered);
  core.setOutput('task-definition', renderedPath);

  const registered = await core.group('Register task definition', async () => {
    const input = { ...rendered } as unknown as RegisterTaskDefinitionCommandInput;
    if (plan.tags.length > 0) input.tags = plan.tags;
    const result = await registerTaskDefinition(ecs, input);
    log(`Registered ${result.arn}`);
    return result;
  });
  core.setOutput('task-definition-arn', registered.arn);

  const { cluster, service, wait, pollSeconds, timeoutMinutes } = inputs.deploy;
  const target = await updateService(ecs, { cluster, service, taskDefinitionArn: registered.arn });
  log(
    `Updated service ${service} in cluster ${cluster}: deployment ${target.deploymentId ?? '(id not reported)'}`,
  );
  core.setOutput('deployment-id', target.deploymentId ?? '');

  // Not grouped: a rollout is what people watch live, and a collapsed group hides it.
  let rollout: RolloutResult | undefined;
  if (wait) rollout = await watchRollout(ecs, target, { pollSeconds, timeoutMinutes, log });
  core.setOutput('rollout-state', rollout?.state ?? 'NOT_WAITED');

  await writeSummary({
    image,
    imageUri: pushed.imageUri,
    digest: pushed.digest,
    tags,
    taskDefinitionArn: registered.arn,
    revision: registered.revision,
    cluster,
    service,
    rollout,
  });

  if (rollout && !rollout.success) throw new UserError(`Rollout ${rollout.state}: ${rollout.reason}`);
}
