import type { ECRClient } from '@aws-sdk/client-ecr';
import { createClients, createStsClient, useStepCredentials } from './aws/clients.js';
import { roleCredentials } from './aws/credentials.js';
import { describeEnvironmentFault } from './aws/errors.js';
import { containerImages } from './deploy/images.js';
import { deployStage, runTaskStage, type DeployOutcome } from './deploy/stage.js';
import { revisionName } from './aws/arn.js';
import { describeError, UserError } from './errors.js';
import { prepareNetwork } from './network.js';
import { enforceScanGate, scanGateStage } from './image/ecr/scan.js';
import { offlineImageUri, pendingImageUri, publishImage, type PublishedImage } from './image/stage.js';
import type { Inputs } from './inputs.js';
import type { ImageInputs } from './inputs/image.js';
import { preparePlan, type Plan } from './plan.js';
import { stepLog as log } from './report/log.js';
import { RunReport } from './report/run-report.js';
import { containerList, containersOf } from './taskdef/containers.js';
import { policyForRun } from './permissions-of.js';
import { dryRunStage, offlineDryRunStage, registerStage, renderStage } from './taskdef/stage.js';

/**
 * The whole step after inputs are valid: plan (reads only), publish, scan gate, render, register, the
 * one-off task, deploy and watch. Each stage lives with its area and returns what it did; the report turns
 * that into the outputs and the one job summary, written also when a stage throws.
 */
export async function ship(inputs: Inputs): Promise<void> {
  const report = new RunReport({
    cluster: inputs.deploy.cluster,
    image: inputs.image?.image ?? '',
    tags: inputs.image?.tags ?? [],
  });
  let outcome: DeployOutcome | undefined;
  try {
    outcome = await runStages(inputs, report);
  } catch (err) {
    // An environment fault (no credentials, an endpoint that does not answer) is told with its fix.
    const told = describeEnvironmentFault(err, inputs.awsRegion) ?? err;
    await report.finishFailed(told);
    throw told;
  }
  await report.finish();
  if (outcome?.failure !== undefined) throw new UserError(outcome.failure);
}

/** The stages in order; undefined for a dry run, which stops before the first write. */
async function runStages(given: Inputs, report: RunReport): Promise<DeployOutcome | undefined> {
  if (given.offline) {
    // No client is made: nothing here can reach AWS, with or without credentials.
    await log.group('Dry run (offline: no service, no AWS)', async () => {
      const { image, registry, awsRegion } = given;
      const pending = image && offlineImageUri(image, registry.target, awsRegion);
      report.record('dryRun', await offlineDryRunStage(given.taskDefinition, pending, log));
    });
    return undefined;
  }
  await prepareNetwork();
  if (given.role) await assumeRole(given);
  const { ecs, ecr } = createClients(given.awsRegion);
  // GitHub (and @actions/github) only when `environment` or `preview` asks for it.
  const github = given.github && (await import('./github-run.js'));
  const side = github && given.github ? await github.connect(given.github, given, log) : undefined;
  if (github && side?.preview?.closing) {
    const removal = await log.group(`Remove preview ${side.preview.name}`, () =>
      github.closePreview(ecs, ecr, given, side, log),
    );
    if (removal) report.record('previewRemoval', removal);
    return undefined;
  }
  const inputs = github && side ? await github.resolveInputs(given, side, log) : given;
  const preview = github && side ? await github.planPreview(ecs, inputs, side, log.info) : undefined;
  const plan = await log.group('Plan', () => preparePlan(ecs, inputs, log, ecr, preview?.plan));
  // Undefined when every container names its own image (`name=IMAGE`): nothing to push.
  const imageInputs = plan.image;
  if (inputs.taskDefinition.dryRun) {
    await log.group('Dry run', async () => {
      const pending = imageInputs && (await pendingImageUri(ecr, imageInputs, log, plan.ecr));
      report.record('dryRun', await dryRunStage(plan.taskDefinition, pending, log));
      const needed = report.record('permissions', policyForRun(inputs, plan));
      log.info(`IAM policy this run needs (${needed.features.join(', ')}; README "IAM permissions"):`);
      for (const line of JSON.stringify(needed.policy, null, 2).split('\n')) log.info(line);
    });
    return undefined;
  }
  const image = imageInputs ? await publish(ecr, imageInputs, { inputs, plan, report }) : undefined;

  const registered = await log.group('Register task definition', async () => {
    const rendered = report.record('render', await renderStage(plan.taskDefinition, image?.imageUri, log));
    const done = report.record('register', await registerStage(ecs, plan.taskDefinition, rendered, log));
    return { ...done, rendered };
  });
  const revision = {
    arn: registered.arn,
    containers: containersOf(plan.taskDefinition.base),
    runTaskContainer: plan.runTaskContainer,
  };
  const deployInputs = preview?.deploy ?? inputs.deploy;
  // A preview not created yet runs its one-off task where it will run: on the template's network.
  const runTaskFrom = preview && !preview.plan.existing ? inputs.deploy : deployInputs;
  const runTask = await runTaskStage(ecs, runTaskFrom, revision, log);
  if (runTask) report.record('runTask', runTask);
  const strategy = { inputs: inputs.strategy, described: preview?.described ?? plan.services };
  const shown = { digest: image?.digest ?? '', revision: revisionName(registered.arn) };
  // No environment-url and a service behind a load balancer: the deployment's URL is the load balancer's.
  if (side && !side.preview && !side.environmentUrl && plan.services.some((s) => s.loadBalancers?.length)) {
    const { useLoadBalancerUrl } = await import('./environment-url.js');
    await useLoadBalancerUrl(side, plan.services, inputs.awsRegion, log);
  }
  const hooks =
    github && side
      ? {
          ...github.deployHooks(side, {
            ...shown,
            imageUri: image?.imageUri ?? '',
            registered: registered.arn,
            cluster: inputs.deploy.cluster,
            create: preview?.create,
          }),
          ...(preview?.attach ? { attach: { [preview.deploy.service]: preview.attach } } : {}),
        }
      : {};
  let outcome: DeployOutcome;
  try {
    outcome = await deployStage(ecs, deployInputs, revision, log, strategy, runTask, hooks);
  } catch (err) {
    if (github && side) await github.announceError(side, describeError(err), shown.revision);
    throw err;
  }
  if (github && side) await github.announceOutcome(side, outcome, shown);
  if (!image) {
    // Nothing pushed: the summary still names what each updated container runs, by digest where known.
    const { cluster, services } = deployInputs;
    const updated = new Set(plan.taskDefinition.containers);
    const given = containerList(registered.rendered.taskDefinition).flatMap(({ name, image }) =>
      typeof name === 'string' && typeof image === 'string' && updated.has(name) ? [{ name, image }] : [],
    );
    report.record(
      'containers',
      await containerImages(ecs, { cluster, services, taskDefinitionArn: registered.arn, given }),
    );
  }
  return report.record('deploy', outcome);
}

/** Publishes the image, then holds it at the scan gate (if asked) before anything is deployed. */
async function publish(
  ecr: ECRClient,
  imageInputs: ImageInputs,
  { inputs, plan, report }: { inputs: Inputs; plan: Plan; report: RunReport },
): Promise<PublishedImage> {
  const image = await log.group(`Publish ${imageInputs.image}`, async () =>
    report.record('image', await publishImage(ecr, imageInputs, log, plan.ecr)),
  );
  const { scanGate } = inputs.registry;
  if (scanGate && plan.ecr) {
    const { repository } = plan.ecr;
    const pollMs = inputs.deploy.pollSeconds * 1000;
    await log.group('Scan gate', async () => {
      const scan = await scanGateStage(ecr, repository, image.digest, scanGate, { pollMs, log });
      enforceScanGate(report.record('scan', scan), scanGate, log);
    });
  }
  return image;
}

/** `role-to-assume`: assumed before any other AWS call, so a refusal is the first and only thing that happens. */
async function assumeRole(inputs: Inputs): Promise<void> {
  const role = inputs.role;
  if (!role) return;
  const provider = roleCredentials(role, { sts: () => createStsClient(inputs.awsRegion), log });
  const how = role.source.kind === 'web-identity' ? "with the job's GitHub ID token" : 'with AssumeRole';
  const first = await provider();
  log.info(
    `Assumed ${role.roleArn} (session ${role.sessionName}) ${how}; its keys expire at ${first.expiration.toISOString()} and are renewed before then.`,
  );
  useStepCredentials(provider);
}
