import type { GitHubInputs } from '../inputs/github.js';
import type { Logger } from '../report/log.js';
import { describeGitHubError, openOctokit, runOnGitHub, type Octokit, type RunOnGitHub } from './client.js';
import { commentMarker, upsertComment } from './comment.js';
import {
  createDeployment,
  deactivateEnvironment,
  lastSuccessfulDeployment,
  setDeploymentStatus,
  type DeploymentPayload,
  type DeploymentState,
} from './deployments.js';
import { readPullRequestEvent, type PullRequestEvent } from './event.js';

export type { DeploymentPayload } from './deployments.js';
export type { PullRequestEvent } from './event.js';

/** Where this run's deployment goes: the environment, its URL, the commit, and the PR (previews). */
export interface GitHubTarget {
  environment: string;
  environmentUrl: string | undefined;
  ref: string;
  /** Previews: an environment that goes away when the pull request closes. */
  transient: boolean;
  /** The PR whose comment is kept, by the marker that finds it again. */
  comment: { number: number; key: string } | undefined;
}

/**
 * The GitHub side of one run: a deployment with its statuses, and the PR comment. Telling GitHub never
 * decides the deploy: a write GitHub refuses (a fork's read-only token, a missing permission) is one
 * warning per permission, after which the run stops writing what needs it and goes on with the rest: a
 * workflow without `pull-requests: write` still gets its deployment's final status.
 */
export class GitHubReport {
  private deploymentId: number | undefined;
  /** Permissions GitHub refused: the run stops writing what needs them, and goes on with the rest. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly octokit: Octokit,
    private readonly run: RunOnGitHub,
    private target: GitHubTarget,
    private readonly log: Logger,
  ) {}

  /** The deployment for the commit, with what went out, and its first status `in_progress`. */
  async started(payload: DeploymentPayload, description: string): Promise<void> {
    await this.write('deployments', async () => {
      this.deploymentId = await createDeployment(this.octokit, this.run, {
        ref: this.target.ref,
        environment: this.target.environment,
        payload,
        description,
        transient: this.target.transient,
      });
      await this.status('in_progress', description);
      this.log.info(`GitHub deployment ${this.deploymentId} of ${this.target.environment}: in_progress`);
    });
  }

  /** The deployment's verdict; nothing when no deployment was created. */
  async finished(success: boolean, description: string): Promise<void> {
    if (this.deploymentId === undefined) return;
    const state = success ? 'success' : 'failure';
    await this.write('deployments', async () => {
      await this.status(state, description);
      this.log.info(`GitHub deployment ${this.deploymentId} of ${this.target.environment}: ${state}`);
    });
  }

  /** The PR comment, created once and edited in place after. */
  async comment(body: string): Promise<void> {
    const pr = this.target.comment;
    if (!pr) return;
    await this.write('pull-requests', async () => {
      const { created } = await upsertComment(this.octokit, this.run, pr.number, commentMarker(pr.key), body);
      if (created) this.log.info(`Commented on pull request #${pr.number} (edited in place from now on)`);
    });
  }

  /** The environment URL found after connecting (a plain deploy's load balancer), for every status after. */
  useEnvironmentUrl(url: string): void {
    this.target = { ...this.target, environmentUrl: url };
  }

  /** Every deployment of the environment marked inactive (a closed preview); how many there were. */
  async deactivate(description: string): Promise<number> {
    let count = 0;
    await this.write('deployments', async () => {
      count = await deactivateEnvironment(this.octokit, this.run, this.target.environment, description);
    });
    return count;
  }

  private status(state: DeploymentState, description: string): Promise<void> {
    const id = this.deploymentId as number;
    const { environmentUrl } = this.target;
    return setDeploymentStatus(this.octokit, this.run, id, { state, description, environmentUrl });
  }

  private async write(permission: string, fn: () => Promise<unknown>): Promise<void> {
    if (this.refused.has(permission)) return;
    try {
      await fn();
    } catch (err) {
      this.refused.add(permission);
      this.log.warning(`GitHub was not told about this deploy: ${describeGitHubError(err, permission)}`);
    }
  }
}

/** The client and where the run is; the PR event too when previews are on. */
export async function openGitHub(
  inputs: GitHubInputs,
  env: NodeJS.ProcessEnv,
): Promise<{ octokit: Octokit; run: RunOnGitHub; pullRequest: PullRequestEvent | undefined }> {
  const pullRequest = inputs.preview ? await readPullRequestEvent(env) : undefined;
  const octokit = await openOctokit(inputs.token, env);
  return { octokit, run: runOnGitHub(env), pullRequest };
}

/** `image: deployment:ENV`: the image URI the newest successful deployment of ENV recorded, by digest. */
export async function deployedImage(
  octokit: Octokit,
  run: RunOnGitHub,
  environment: string,
): Promise<{ imageUri: string; digest: string; deploymentId: number } | string> {
  let found;
  try {
    found = await lastSuccessfulDeployment(octokit, run, environment);
  } catch (err) {
    return `the deployments of '${environment}' cannot be read: ${describeGitHubError(err, 'deployments')}`;
  }
  if (!found) return `no successful deployment of environment '${environment}' in ${run.repository}`;
  const payload = (typeof found.payload === 'string' ? safeJson(found.payload) : found.payload) as
    Partial<DeploymentPayload> | undefined;
  const imageUri = payload?.imageUri;
  const digest = payload?.digest;
  if (typeof imageUri !== 'string' || typeof digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    return `deployment ${found.id} of '${environment}' records no image digest (was it made by ecs-ship?)`;
  }
  return { imageUri, digest, deploymentId: found.id };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
