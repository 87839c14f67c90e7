import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  paginateListTaskDefinitions,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type DeploymentController,
  type ECSClient,
  type LoadBalancer,
  type Service,
  type Tag,
} from '@aws-sdk/client-ecs';
import { accessDenied, classifyAwsError, describeAwsError } from '../aws/errors.js';
import { allPages } from '../aws/pages.js';
import { UserError } from '../errors.js';
import { Poller, waitOptions, type PollOptions } from '../poll/poller.js';
import { sameTaskDefinition } from './rollout/identify.js';
import type { StartedTarget } from './update.js';

const NAME_LIMIT = 255;

/** Pure: a name cut and cleaned to ECS's rules for services and families (`[a-zA-Z0-9_-]{1,255}`). */
export function ecsName(raw: string): string {
  const cleaned = raw
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned.slice(0, NAME_LIMIT).replace(/-+$/, '') || 'preview';
}

/** Pure: the preview's own task-definition family, so its cleanup never touches the template's revisions. */
export function previewFamily(family: string, number: number): string {
  const suffix = `-pr-${number}`;
  return `${ecsName(family).slice(0, NAME_LIMIT - suffix.length)}${suffix}`;
}

/**
 * Pure: the owner every resource of a preview is tagged with (service, rule, target group): `owner/repo/pull/7`.
 * One spelling, so the close finds what the open made.
 */
export function previewOwner(repository: string, number: number): string {
  return `${repository}/pull/${number}`;
}

/** The tag that says which pull request a preview belongs to (`#` is not allowed in ECS tag values). */
const PREVIEW_TAG = 'ecs-ship:preview';

/** Pure: the tag on everything a preview makes in ECS (its service and each revision of its family). */
export function previewTag(owner: string): Tag {
  return { key: PREVIEW_TAG, value: owner };
}

/** The preview service as ECS has it now; undefined when it does not exist (or is already going). */
export async function describePreview(
  ecs: ECSClient,
  cluster: string,
  name: string,
): Promise<Service | undefined> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name], include: ['TAGS'] }));
  return out.services?.find((s) => s.status === 'ACTIVE');
}

/**
 * A deleted service stays DRAINING until its tasks have stopped, and until then ECS refuses to create one of
 * the same name ("Creation of service was not idempotent"): a pull request reopened right after it was
 * closed waits here (reads only) for the old preview to be gone.
 */
export async function waitUntilDrained(
  ecs: ECSClient,
  cluster: string,
  name: string,
  opts: PollOptions,
): Promise<void> {
  const draining = async () => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
    return out.services?.some((s) => s.status === 'DRAINING') ?? false;
  };
  if (!(await draining())) return;
  opts.log(
    `Service ${name} is still DRAINING (deleted when the pull request was closed): waiting until it is gone`,
  );
  const poller = new Poller(waitOptions(opts));
  const waited = await poller.until(
    async () => ((await draining()) ? 'wait' : { done: true }),
    () => `service ${name} to finish DRAINING`,
  );
  if (waited.timedOut) {
    throw new UserError(
      `Service ${name} is still DRAINING after ${opts.timeoutMinutes} min (timeout-minutes): ECS cannot create the preview again until it is gone; re-run the job later.`,
    );
  }
}

/**
 * Pure: the preview's deployment controller: the template's when it is ECS's own, else ECS's. A CODE_DEPLOY
 * deployment group (or an EXTERNAL controller) belongs to the template service and knows nothing of the
 * preview, which ecs-ship then deploys as any ECS service.
 */
export function previewController(template: Service): DeploymentController | undefined {
  const type = template.deploymentController?.type;
  return type === undefined || type === 'ECS' ? template.deploymentController : { type: 'ECS' };
}

/** Pure: CreateService's input for a preview, cloned from the template service. */
export function previewServiceInput(args: {
  cluster: string;
  template: Service;
  name: string;
  taskDefinitionArn: string;
  desiredCount: number;
  owner: string;
  loadBalancers?: LoadBalancer[];
  /** The strategy inputs applied to the template's; undefined = the template's. */
  deploymentConfiguration?: DeploymentConfiguration | undefined;
}) {
  const t = args.template;
  const deploymentConfiguration = args.deploymentConfiguration ?? t.deploymentConfiguration;
  const deploymentController = previewController(t);
  const ownTags = (t.tags ?? []).filter((tag) => tag.key !== PREVIEW_TAG && !tag.key?.startsWith('aws:'));
  const tags: Tag[] = [...ownTags, previewTag(args.owner)];
  return {
    cluster: args.cluster,
    serviceName: args.name,
    taskDefinition: args.taskDefinitionArn,
    desiredCount: args.desiredCount,
    // Capacity providers when the template uses them, else its launch type: ECS takes one or the other.
    ...(t.capacityProviderStrategy && t.capacityProviderStrategy.length > 0
      ? { capacityProviderStrategy: t.capacityProviderStrategy }
      : t.launchType
        ? { launchType: t.launchType }
        : {}),
    ...(t.platformVersion ? { platformVersion: t.platformVersion } : {}),
    ...(t.networkConfiguration ? { networkConfiguration: t.networkConfiguration } : {}),
    ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
    ...(deploymentController ? { deploymentController } : {}),
    ...(args.loadBalancers && args.loadBalancers.length > 0 ? { loadBalancers: args.loadBalancers } : {}),
    ...(t.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
    ...(t.propagateTags && t.propagateTags !== 'NONE' ? { propagateTags: t.propagateTags } : {}),
    enableECSManagedTags: t.enableECSManagedTags ?? false,
    tags,
  };
}

/** Creates the preview service; what the watcher follows, as UpdateService would give it. */
export async function createPreviewService(
  ecs: ECSClient,
  input: ReturnType<typeof previewServiceInput>,
): Promise<StartedTarget> {
  const startedAt = new Date();
  let out;
  try {
    out = await ecs.send(new CreateServiceCommand(input));
  } catch (err) {
    const where = `preview service '${input.serviceName}' in cluster '${input.cluster}'`;
    if (classifyAwsError(err) === 'denied') {
      throw accessDenied(`creating ${where}`, 'ecs:CreateService (and ecs:TagResource)', err);
    }
    if (classifyAwsError(err) === 'transient') throw err;
    throw new UserError(`ECS refused to create ${where}: ${describeAwsError(err)}`);
  }
  const primary = out.service?.deployments?.find(
    (d) => d.status === 'PRIMARY' && sameTaskDefinition(d.taskDefinition, input.taskDefinition),
  );
  return {
    cluster: input.cluster,
    service: input.serviceName,
    taskDefinitionArn: input.taskDefinition,
    startedAt,
    deploymentId: primary?.id,
    currentServiceDeployment: out.service?.currentServiceDeployment,
  };
}

/** What a closed preview's cleanup removed, for the log and the PR comment; and what it could not. */
export interface PreviewRemoval {
  removed: string[];
  warnings: string[];
  /** The images the family's revisions referenced (for preview-delete-images). */
  images: string[];
}

async function listFamily(ecs: ECSClient, family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
  const arns = await allPages(
    paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status }),
    (page) => page.taskDefinitionArns,
  );
  // familyPrefix matches whole family names on ECS, but say it here too: another family must never go.
  return arns.filter((arn) => arn.split('/').at(-1)?.replace(/:\d+$/, '') === family);
}

/** Scales the preview service to 0 and deletes it; false when there was none. */
export async function deletePreviewService(ecs: ECSClient, cluster: string, name: string): Promise<boolean> {
  const found = await describePreview(ecs, cluster, name);
  if (!found) return false;
  try {
    await ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 0 }));
    await ecs.send(new DeleteServiceCommand({ cluster, service: name, force: true }));
  } catch (err) {
    if (classifyAwsError(err) === 'denied') {
      throw accessDenied(
        `deleting preview service '${name}'`,
        'ecs:UpdateService and ecs:DeleteService',
        err,
      );
    }
    throw err;
  }
  return true;
}

/**
 * The preview's task-definition family: every ACTIVE revision deregistered, then all of them deleted where
 * ECS allows (DeleteTaskDefinitions, at most 10 a call); a refused delete is a warning, not a failure.
 */
export async function removePreviewFamily(ecs: ECSClient, family: string): Promise<PreviewRemoval> {
  const result: PreviewRemoval = { removed: [], warnings: [], images: [] };
  const active = await listFamily(ecs, family, 'ACTIVE');
  for (const arn of active) {
    const out = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    for (const c of out.taskDefinition?.containerDefinitions ?? []) if (c.image) result.images.push(c.image);
  }
  if (active.length > 0)
    result.removed.push(`${active.length} revision(s) of task definition family ${family}`);
  const inactive = await listFamily(ecs, family, 'INACTIVE');
  for (let i = 0; i < inactive.length; i += 10) {
    const batch = inactive.slice(i, i + 10);
    try {
      const out = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch }));
      for (const f of out.failures ?? []) result.warnings.push(`${f.arn}: ${f.reason ?? 'not deleted'}`);
    } catch (err) {
      result.warnings.push(`Task definitions of ${family} stay INACTIVE: ${describeAwsError(err)}`);
      break;
    }
  }
  result.images = [...new Set(result.images)];
  return result;
}
