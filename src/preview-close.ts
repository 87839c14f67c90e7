import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { parseRevision } from './aws/arn.js';
import {
  deletePreviewService,
  describePreview,
  previewOwner,
  previewTag,
  removePreviewFamily,
} from './deploy/preview.js';
import { taggedPreviewFamilies } from './deploy/preview-families.js';
import { digestsIn, imagesSafeToDelete } from './deploy/preview-images.js';
import type { GitHubSide } from './github-run.js';
import { deleteImages } from './image/ecr/delete-images.js';
import type { Inputs } from './inputs.js';
import type { Logger } from './report/log.js';
import { renderPreviewComment, type PreviewRemoved } from './report/pr-comment.js';

/**
 * A closed pull request (merged or not): everything its preview made goes, in the order that lets each
 * removal succeed (the service before its rule, target group and family), then GitHub hears of it: every deployment of the
 * environment `inactive`, the comment "removed". Nothing there (closed twice, never previewed) is a success.
 */
export async function closePreview(
  ecs: ECSClient,
  ecr: ECRClient,
  inputs: Inputs,
  side: GitHubSide,
  log: Logger,
): Promise<PreviewRemoved | undefined> {
  const preview = side.preview;
  if (!preview) return undefined;
  const { cluster } = inputs.deploy;
  const removed = new Removals(log);
  const owner = previewOwner(side.run.repository, preview.number);
  const existing = await describePreview(ecs, cluster, preview.name);
  // The families to remove, read before the service goes: the one it runs, and every family whose revisions
  // carry the preview's tag (the service may have been deleted by hand). Never the template service's own.
  const template = await describePreview(ecs, cluster, inputs.deploy.service);
  const templateFamily = parseRevision(template?.taskDefinition ?? '')?.family;
  const running = parseRevision(existing?.taskDefinition ?? '')?.family;
  const tagged = await taggedPreviewFamilies(ecs, preview.number, previewTag(owner));
  const families = [...new Set([running, ...tagged])].filter(
    (f): f is string => f !== undefined && f !== templateFamily,
  );

  if (await deletePreviewService(ecs, cluster, preview.name)) {
    removed.push(`service ${preview.name} (scaled to 0 and deleted)`);
  }
  const listenerArn = inputs.github?.preview?.listenerArn;
  if (listenerArn) {
    const { removePreviewAlb } = await import('./deploy/preview-alb.js');
    const target = { region: inputs.awsRegion, listenerArn, owner, previewName: preview.name };
    removed.push(...(await removePreviewAlb(target, inputs.deploy, log)));
  }
  const images: string[] = [];
  for (const family of families) {
    const fam = await removePreviewFamily(ecs, family);
    removed.push(...fam.removed);
    for (const w of fam.warnings) log.warning(w);
    images.push(...fam.images);
  }
  const repository = inputs.image?.repository;
  if (inputs.github?.preview?.deleteImages && repository && families.length > 0) {
    const digests = digestsIn(images, repository);
    const safe = await imagesSafeToDelete(ecs, ecr, { cluster, repository, digests, families });
    if (safe.warning) log.warning(safe.warning);
    for (const d of safe.kept) log.info(`Kept image ${d} in ${repository}: a service of the cluster runs it`);
    const deleted = await deleteImages(ecr, repository, safe.deletable);
    if (deleted.deleted.length > 0) removed.push(`${deleted.deleted.length} image(s) in ${repository}`);
    for (const w of deleted.warnings) log.warning(w);
  }
  const deactivated = await side.report.deactivate(`Preview ${preview.name} removed`);
  if (deactivated > 0)
    removed.push(`the GitHub deployments of ${side.environment} (${deactivated} marked inactive)`);

  if (removed.lines.length === 0) log.info(`Nothing was left of preview ${preview.name}: nothing to remove`);
  await side.report.comment(
    renderPreviewComment({
      kind: 'removed',
      service: preview.name,
      runUrl: side.run.runUrl,
      removed: removed.lines,
    }),
  );
  return { service: preview.name, removed: removed.lines };
}

/** What the close removed: each logged as it goes (the log reads in order), all kept for the PR comment. */
class Removals {
  readonly lines: string[] = [];

  constructor(private readonly log: Logger) {}

  push(...lines: string[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.log.info(`Removed ${line}`);
    }
  }
}
