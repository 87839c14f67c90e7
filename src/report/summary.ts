import * as core from '@actions/core';
import { renderDeploySection } from './deploy-section.js';
import { renderDryRunSection } from './dry-run-section.js';
import { renderPolicySection } from './policy-section.js';
import { stepLog } from './log.js';
import { code, escapeMarkdown } from './markdown.js';
import type { StageResults } from './outputs.js';
import type { PreviewRemoved } from './pr-comment.js';
import { renderScanSection } from './scan-section.js';

/** What the step knew before any stage ran: where it deploys, and the image it publishes (if any). */
export interface RunContext {
  cluster: string;
  /** The `image` input; empty when every container names its own image. */
  image: string;
  tags: string[];
}

/** The results of the stages that ran; a stage that threw, or never ran, is missing. */
export type KnownResults = Partial<StageResults>;

/** A closed pull request's preview: what went, or that nothing was left. */
function renderRemovalSection(r: PreviewRemoved): string {
  const what =
    r.removed.length > 0
      ? r.removed.map((line) => `- ${escapeMarkdown(line)}`)
      : ['Nothing was left to remove.'];
  return [`### Preview ${code(r.service)} removed`, '', ...what, ''].join('\n');
}

/** The line of the error that ended the step; a blank line first so it never continues a table. */
function failureSection(failure: string): string {
  return ['', `**❌ Step failed:** ${escapeMarkdown(failure)}`, ''].join('\n');
}

/**
 * The one job summary, pure: the dry run, or the scan gate and then the deploy, as far as they are known;
 * and `failure`, the line of an error that ended the step. A failed rollout is not such an error: the
 * deploy section already gives its verdict and reason.
 */
export function renderJobSummary(known: KnownResults, context: RunContext, failure?: string): string {
  const sections: string[] = [];
  if (known.dryRun) sections.push(renderDryRunSection(known.dryRun));
  if (known.permissions) sections.push(renderPolicySection(known.permissions));
  if (known.scan) sections.push(renderScanSection(known.scan));
  if (known.register && known.deploy) {
    sections.push(
      renderDeploySection({
        image: context.image,
        imageUri: known.image?.imageUri ?? '',
        digest: known.image?.digest ?? '',
        tags: context.tags,
        taskDefinitionArn: known.register.arn,
        revision: known.register.revision,
        cluster: context.cluster,
        outcome: known.deploy,
        containers: known.containers ?? [],
      }),
    );
  }
  if (known.previewRemoval) sections.push(renderRemovalSection(known.previewRemoval));
  if (failure !== undefined) sections.push(failureSection(failure));
  return sections.join('');
}

/**
 * Appends to the job summary file; the step writes it once, at its end. Without GITHUB_STEP_SUMMARY (a
 * local run: @github/local-action, a harness) there is no file to write, and a deploy that went well must
 * not fail for it: one line says so instead.
 */
export async function writeJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (markdown === '') return;
  if (!env.GITHUB_STEP_SUMMARY) {
    stepLog.info('No job summary: GITHUB_STEP_SUMMARY is not set (not on a runner).');
    return;
  }
  // Emptied first: a write that failed leaves its text in @actions/core's buffer.
  await core.summary.emptyBuffer().addRaw(markdown).write();
}
