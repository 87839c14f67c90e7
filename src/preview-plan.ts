import type { DeploymentConfiguration, ECSClient, Service } from '@aws-sdk/client-ecs';
import type { PermissionCheck } from './aws/simulate.js';
import { isAttached } from './deploy/alb-rules.js';
import type { AttachLoadBalancers } from './deploy/start.js';
import type { DeployHooks } from './deploy/stage.js';
import {
  createPreviewService,
  describePreview,
  previewFamily,
  previewOwner,
  previewController,
  previewTag,
  previewServiceInput,
  waitUntilDrained,
} from './deploy/preview.js';
import type { GitHubSide } from './github-run.js';
import type { DeployInputs } from './inputs/deploy.js';
import type { Inputs } from './inputs.js';
import type { PreviewPlan } from './plan.js';

/**
 * What the plan asks IAM's simulator about a preview: UpdateService on it when it exists, else CreateService
 * on the ARN it will have (the template's, renamed), and the load balancer writes that come with either.
 */
function previewWrites(
  existing: Service | undefined,
  template: Service | undefined,
  name: string,
  alb: PermissionCheck[],
): PermissionCheck[] {
  // An existing preview moved behind the load balancer makes that balancer's writes too.
  if (existing) return [{ action: 'ecs:UpdateService', resource: existing.serviceArn ?? '*' }, ...alb];
  const templateArn = template?.serviceArn;
  const resource = templateArn ? `${templateArn.slice(0, templateArn.lastIndexOf('/') + 1)}${name}` : '*';
  return [{ action: 'ecs:CreateService', resource }, ...alb];
}

/** What the plan and the deploy stage need to know about a preview (reads only). */
export interface PreviewDeploy {
  plan: PreviewPlan;
  /** The deploy inputs aimed at the preview service instead of the template. */
  deploy: DeployInputs;
  /** As the deploy stage's strategy context wants it: the preview, or the template it will be made from. */
  described: Service[];
  /** Set while the preview does not exist: how to create it. */
  create: NonNullable<DeployHooks['create']>[string] | undefined;
  /** Set while the preview exists but is not behind its own target group yet: how to attach it. */
  attach: AttachLoadBalancers | undefined;
}

/**
 * The preview this pull request's run deploys to: the service when it exists, else how to create it from the
 * template service (and, with `preview-listener-arn`, its rule and target group). Reads only: nothing is
 * created until the deploy stage calls `create`.
 */
export async function planPreview(
  ecs: ECSClient,
  inputs: Inputs,
  side: GitHubSide,
  log: (line: string) => void,
): Promise<PreviewDeploy | undefined> {
  const preview = side.preview;
  const settings = inputs.github?.preview;
  if (!preview || !settings) return undefined;
  const { cluster } = inputs.deploy;
  const existing = await describePreview(ecs, cluster, preview.name);
  const { pollSeconds, timeoutMinutes } = inputs.deploy;
  if (!existing) await waitUntilDrained(ecs, cluster, preview.name, { pollSeconds, timeoutMinutes, log });
  const template = await describePreview(ecs, cluster, inputs.deploy.service);
  if (!existing && template)
    log(`Service ${preview.name} does not exist: it is created from ${template.serviceName}`);
  const number = preview.number;
  const deploy: DeployInputs = {
    ...inputs.deploy,
    service: preview.name,
    services: [preview.name],
    // Created with preview-desired-count; after that, left as it is unless desired-count says otherwise.
    desiredCount: existing ? inputs.deploy.desiredCount : undefined,
  };
  const owner = previewOwner(side.run.repository, number);
  // A URL per preview (preview-listener-arn): its rule and target group, read now, made on create — or on
  // this update, for a preview made before the input was set (its host does not reach it until then).
  const toAttach = existing !== undefined && !isAttached(existing.loadBalancers, preview.name);
  const alb =
    (!existing || toAttach) && template && settings.listenerArn && preview.host
      ? await (
          await import('./deploy/preview-alb.js')
        ).planPreviewAlb(
          {
            region: inputs.awsRegion,
            listenerArn: settings.listenerArn,
            host: preview.host,
            owner,
            previewName: preview.name,
          },
          template,
        )
      : undefined;
  if (alb && existing)
    log(
      `Preview ${preview.name} is not behind target group ${alb.targetGroupName} (made before preview-listener-arn was set): this deploy creates it and attaches the service`,
    );
  // Attaching adds to what the service has (UpdateService replaces the whole list).
  const attach =
    alb && existing ? async () => [...(existing.loadBalancers ?? []), ...(await alb.ensure(log))] : undefined;
  const plan: PreviewPlan = {
    existing,
    familyFor: (family) => previewFamily(family, number),
    tag: previewTag(owner),
    writes: previewWrites(existing, template, preview.name, alb?.writes ?? []),
  };
  const create =
    existing || !template
      ? undefined
      : async (taskDefinitionArn: string, deploymentConfiguration: DeploymentConfiguration | undefined) =>
          createPreviewService(
            ecs,
            previewServiceInput({
              cluster,
              template,
              name: preview.name,
              taskDefinitionArn,
              deploymentConfiguration,
              desiredCount: inputs.deploy.desiredCount ?? settings.desiredCount,
              owner,
              ...(alb ? { loadBalancers: await alb.ensure(log) } : {}),
            }),
          );
  // A new preview is deployed as it will be created: with ECS's own controller (see previewServiceInput).
  const described =
    existing ?? (template && { ...template, deploymentController: previewController(template) });
  return { plan, deploy, described: described ? [described] : [], create, attach };
}
