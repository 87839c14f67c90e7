import type { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, type ECSClient, type Service, type Tag } from '@aws-sdk/client-ecs';
import { accountOf } from './aws/arn.js';
import { checkPermissions, type PermissionCheck } from './aws/simulate.js';
import { checkStrategyPlan } from './deploy/strategy.js';
import { inputError, UserError } from './errors.js';
import { planEcr, type EcrPlan } from './image/ecr/plan.js';
import { hostOf } from './image/ecr/repository.js';
import type { ImageInputs } from './inputs/image.js';
import { checkImageSource, preferLocalImage } from './image/stage.js';
import type { Inputs } from './inputs.js';
import type { Logger } from './report/log.js';
import { checkCompatibility } from './taskdef/check.js';
import { containersOf, overrideContainer } from './taskdef/containers.js';
import { planTaskDefinition, type TaskDefinitionPlan } from './taskdef/stage.js';

/** Everything known before the first write. */
export interface Plan {
  taskDefinition: TaskDefinitionPlan;
  /** Where a `run-task` command override goes; undefined when there is none. */
  runTaskContainer: string | undefined;
  /** The target repository (found, or to be created) and a promotion; undefined when nothing is pushed. */
  ecr: EcrPlan | undefined;
  /** The image inputs with the source resolved (a local image wins over a registry of the same name). */
  image: ImageInputs | undefined;
  /** Each service as DescribeServices showed it, in input order (its controller, strategy, load balancers). */
  services: Service[];
}

/** A preview: the service `service` is the template of, as it exists now (undefined: to be created). */
export interface PreviewPlan {
  existing: Service | undefined;
  /** The preview's own family, from the base's (`{family}-pr-{number}`). */
  familyFor: (family: string) => string;
  /** The preview tag its revisions carry: a close finds the family by it, even with the service gone. */
  tag: Tag;
  /** The writes the preview's service needs: UpdateService, or CreateService (and its rule and group). */
  writes: PermissionCheck[];
}

/**
 * Reads and checks only. Every mistake a user can make in the step's configuration surfaces here, so a bad
 * input never leaves a pushed image or a registered revision behind.
 */
export async function preparePlan(
  ecs: ECSClient,
  inputs: Inputs,
  log: Logger,
  ecr: ECRClient,
  previewService?: PreviewPlan,
): Promise<Plan> {
  const { cluster, service } = inputs.deploy;
  const services: Service[] = [];
  for (const each of inputs.deploy.services) {
    services.push(await assertServiceActive(ecs, cluster, each, inputs.awsRegion));
  }
  checkStrategyPlan(services, inputs.strategy);
  const [described] = services;
  if (!described) throw new Error(`No service was described for '${service}'.`);
  const where = previewService
    ? {
        cluster,
        described,
        running: previewService.existing ?? null,
        familyFor: previewService.familyFor,
        tag: previewService.tag,
      }
    : { cluster, described };
  const taskDefinition = await planTaskDefinition(ecs, inputs.taskDefinition, where, log);
  const { runTask } = inputs.deploy;
  const runTaskContainer = runTask
    ? overrideContainer(runTask, containersOf(taskDefinition.base), taskDefinition.containers)
    : undefined;
  const image = inputs.image ? await preferLocalImage(inputs.image) : undefined;
  const ecrPlan = image ? await planEcr(ecr, image, inputs.registry, log.info) : undefined;
  // A promotion's source was read from ECR itself; there is nothing else to open.
  const platforms = image && !ecrPlan?.promotion ? await checkImageSource(image) : undefined;
  const { preview, source, containers, inputs: tdInputs } = taskDefinition;
  const pushed = {
    containers: image ? containers.filter((c) => !(c in tdInputs.images)) : [],
    host: ecrPlan?.repository.uri ? hostOf(ecrPlan.repository.uri) : undefined,
  };
  checkCompatibility(preview, source, services, { pushed, platforms }, log);
  if (!inputs.taskDefinition.dryRun)
    await checkPermissions(
      inputs.awsRegion,
      writesOf(services, inputs, previewService),
      inputs.role?.roleArn,
    );
  return { taskDefinition, runTaskContainer, ecr: ecrPlan, image, services };
}

/**
 * The writes every deploy makes: a revision, and each service updated — through CodeDeploy's deployment
 * group for a CODE_DEPLOY service; a preview's writes are its own (the template is only read).
 */
function writesOf(services: Service[], inputs: Inputs, preview: PreviewPlan | undefined): PermissionCheck[] {
  const codeDeploy = inputs.strategy?.codeDeploy;
  const updates = preview
    ? preview.writes
    : services.map((s) => {
        if (s.deploymentController?.type !== 'CODE_DEPLOY')
          return { action: 'ecs:UpdateService', resource: s.serviceArn ?? '*' };
        const account = accountOf(s.serviceArn) ?? '*';
        const group = codeDeploy ? `${codeDeploy.application}/${codeDeploy.deploymentGroup}` : '*';
        const resource = `arn:aws:codedeploy:${inputs.awsRegion}:${account}:deploymentgroup:${group}`;
        return { action: 'codedeploy:CreateDeployment', resource };
      });
  return [{ action: 'ecs:RegisterTaskDefinition', resource: '*' }, ...updates];
}

async function assertServiceActive(
  ecs: ECSClient,
  cluster: string,
  service: string,
  region: string,
): Promise<Service> {
  let found;
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    found = out.services?.find((s) => s.status !== 'INACTIVE');
  } catch (err) {
    if (err instanceof Error && err.name === 'ClusterNotFoundException') {
      // The commonest reason a cluster that exists is not found: the step looks in another region.
      throw inputError('cluster', cluster, `an existing ECS cluster in ${region} (is aws-region right?)`);
    }
    throw err;
  }
  if (!found)
    throw new UserError(
      `Service '${service}' was not found in cluster '${cluster}' in ${region} (or is inactive).`,
    );
  return found;
}
