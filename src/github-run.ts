import type { DeployHooks, DeployOutcome, UpdatedService } from './deploy/stage.js';
import { ecsName } from './deploy/preview.js';
import type { PreviewDeploy } from './preview-plan.js';
import { UserError } from './errors.js';
import {
  deployedImage,
  GitHubReport,
  openGitHub,
  type DeploymentPayload,
  type PullRequestEvent,
} from './github/stage.js';
import type { RunOnGitHub } from './github/client.js';
import { fillTemplate, type GitHubInputs } from './inputs/github.js';
import { parseImageSource } from './inputs/image-source.js';
import type { ImageInputs } from './inputs/image.js';
import type { Inputs } from './inputs.js';
import { mask, type Logger } from './report/log.js';
import { renderPreviewComment, type PreviewComment } from './report/pr-comment.js';

/** A pull request's preview: its service, and whether this run removes it (`closed`). */
export interface PreviewTarget {
  number: number;
  name: string;
  closing: boolean;
  host: string | undefined;
}

/** The GitHub side of this run, once connected: loaded only when `environment` or `preview` is set. */
export interface GitHubSide {
  report: GitHubReport;
  octokit: Awaited<ReturnType<typeof openGitHub>>['octokit'];
  run: RunOnGitHub;
  pullRequest: PullRequestEvent | undefined;
  preview: PreviewTarget | undefined;
  environment: string;
  environmentUrl: string | undefined;
}

const PREVIEW_ACTIONS = ['opened', 'synchronize', 'reopened', 'closed'];

/** Reads the event, opens the client and works out the environment, its URL and the preview's name. */
export async function connect(
  github: GitHubInputs,
  inputs: Inputs,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitHubSide> {
  // GITHUB_TOKEN is masked by the runner; a personal token passed in may not be.
  mask(github.token);
  const { octokit, run, pullRequest } = await openGitHub(github, env);
  const template = inputs.deploy.service.slice(inputs.deploy.service.lastIndexOf('/') + 1);
  const number = pullRequest?.number;
  let preview: PreviewTarget | undefined;
  if (github.preview && pullRequest) {
    if (!PREVIEW_ACTIONS.includes(pullRequest.action)) {
      throw new UserError(
        `Input 'preview' is true, but the pull_request event's action is '${pullRequest.action}': run previews on types [opened, synchronize, reopened, closed].`,
      );
    }
    const values = { service: template, number: String(pullRequest.number) };
    const name = ecsName(fillTemplate(github.preview.name, values));
    const host = github.preview.host ? fillTemplate(github.preview.host, values).toLowerCase() : undefined;
    preview = { number: pullRequest.number, name, closing: pullRequest.action === 'closed', host };
  }
  const service = preview?.name ?? template;
  const sha = pullRequest?.headSha ?? run.sha;
  const values = { number: number === undefined ? '' : String(number), service, sha };
  const environment = github.environment ? fillTemplate(github.environment, values) : service;
  const environmentUrl = github.environmentUrl
    ? fillTemplate(github.environmentUrl, values)
    : preview?.host
      ? `https://${preview.host}`
      : undefined;
  const report = new GitHubReport(
    octokit,
    run,
    {
      environment,
      environmentUrl,
      ref: sha,
      transient: preview !== undefined,
      comment: preview ? { number: preview.number, key: `preview ${preview.name}` } : undefined,
    },
    log,
  );
  if (preview)
    log.info(`Preview ${preview.name} for pull request #${preview.number} (${pullRequest?.action})`);
  return { report, octokit, run, pullRequest, preview, environment, environmentUrl };
}

/**
 * `image: deployment:ENV`: the image by digest that ENV's last successful deployment recorded, so the plan
 * promotes (or copies) exactly that digest. Other sources are returned as they are.
 */
export async function resolveDeploymentImage(
  side: GitHubSide | undefined,
  image: ImageInputs | undefined,
  log: Logger,
): Promise<ImageInputs | undefined> {
  if (!image || image.source.kind !== 'deployment') return image;
  if (!side) throw new Error('image: deployment:… needs the GitHub side');
  const found = await deployedImage(side.octokit, side.run, image.source.environment);
  if (typeof found === 'string') throw new UserError(`Input 'image' is '${image.image}': ${found}.`);
  const base = found.imageUri.replace(/[@:]sha256:[a-f0-9]{64}$/, '').replace(/:[^/:]+$/, '');
  const byDigest = `${base}@${found.digest}`;
  const source = parseImageSource(byDigest);
  if ('error' in source || source.kind !== 'remote') {
    throw new UserError(
      `Deployment ${found.deploymentId} records image '${found.imageUri}', which is not a registry reference.`,
    );
  }
  log.info(`${image.image}: deployment ${found.deploymentId} recorded ${byDigest}`);
  return { ...image, source };
}

/** The inputs with `image: deployment:ENV` resolved to the digest that deployment recorded. */
export async function resolveInputs(inputs: Inputs, side: GitHubSide, log: Logger): Promise<Inputs> {
  const image = await resolveDeploymentImage(side, inputs.image, log);
  return image === inputs.image ? inputs : { ...inputs, image };
}

export { planPreview, type PreviewDeploy } from './preview-plan.js';

/** Creates the preview (when missing) and tells GitHub once every service was updated. */
export function deployHooks(
  side: GitHubSide,
  shown: {
    imageUri: string;
    digest: string;
    revision: string;
    registered: string;
    cluster: string;
    create: PreviewDeploy['create'];
  },
): DeployHooks {
  return {
    ...(shown.create && side.preview ? { create: { [side.preview.name]: shown.create } } : {}),
    updated: async (updated) => {
      const payload = deploymentPayload({ ...shown, taskDefinitionArn: shown.registered, updated });
      await side.report.started(payload, `Deploying ${shown.revision}`);
      if (side.preview) {
        await announceComment(side, {
          kind: 'deploying',
          service: side.preview.name,
          runUrl: side.run.runUrl,
          sha: side.pullRequest?.headSha ?? side.run.sha,
        });
      }
    },
  };
}

export { closePreview } from './preview-close.js';

/** What went out, for the deployment's payload. */
export function deploymentPayload(args: {
  imageUri: string;
  digest: string;
  taskDefinitionArn: string;
  cluster: string;
  updated: UpdatedService[];
}): DeploymentPayload {
  return {
    imageUri: args.imageUri,
    digest: args.digest,
    taskDefinitionArn: args.taskDefinitionArn,
    cluster: args.cluster,
    services: args.updated.map((u) => u.service),
    serviceDeployments: args.updated.flatMap((u) => (u.serviceDeploymentArn ? [u.serviceDeploymentArn] : [])),
  };
}

/** The deployment's verdict and the PR comment after the deploy stage. */
export async function announceOutcome(
  side: GitHubSide,
  outcome: DeployOutcome,
  shown: { digest: string; revision: string },
): Promise<void> {
  const durations = outcome.services.flatMap((s) => (s.rollout ? [s.rollout.durationMs] : []));
  const durationMs = durations.length > 0 ? Math.max(...durations) : undefined;
  const description = outcome.success
    ? `${outcome.state}: ${shown.revision}`
    : (outcome.failure ?? `Rollout ${outcome.state}`);
  await side.report.finished(outcome.success, description);
  if (side.preview) {
    await announceComment(side, {
      kind: 'deployed',
      success: outcome.success,
      service: side.preview.name,
      url: side.environmentUrl,
      digest: shown.digest,
      revision: shown.revision,
      durationMs,
      runUrl: side.run.runUrl,
      sha: side.pullRequest?.headSha ?? side.run.sha,
      reason: outcome.success ? undefined : outcome.failure,
    });
  }
}

/** A step that threw after its deployment was created: the deployment fails with the error's line. */
export async function announceError(side: GitHubSide, reason: string, revision: string): Promise<void> {
  await side.report.finished(false, reason);
  if (side.preview && !side.preview.closing) {
    await announceComment(side, {
      kind: 'deployed',
      success: false,
      service: side.preview.name,
      url: undefined,
      digest: '',
      revision,
      durationMs: undefined,
      runUrl: side.run.runUrl,
      sha: side.pullRequest?.headSha ?? side.run.sha,
      reason,
    });
  }
}

export function announceComment(side: GitHubSide, comment: PreviewComment): Promise<void> {
  return side.report.comment(renderPreviewComment(comment));
}
