import type { Octokit, RunOnGitHub } from './client.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive';

/** What went out, as the deployment's payload records it (and `image: deployment:ENV` reads it back). */
export interface DeploymentPayload {
  imageUri: string;
  digest: string;
  taskDefinitionArn: string;
  cluster: string;
  services: string[];
  serviceDeployments: string[];
}

/** GitHub refuses a status description over 140 characters (422): a longer one is cut, and says so. */
const DESCRIPTION_LIMIT = 140;

/** Pure: the description as GitHub takes it; one line, at most 140 characters, `…` where it was cut. */
export function clipDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= DESCRIPTION_LIMIT) return line;
  // Cut by code points (never half an emoji), counted as GitHub counts: UTF-16 units.
  const chars = [...line];
  while (chars.join('').length > DESCRIPTION_LIMIT - 1) chars.pop();
  return `${chars.join('')}…`;
}

const repoOf = (run: RunOnGitHub) => ({ owner: run.owner, repo: run.repo });

export async function createDeployment(
  octokit: Octokit,
  run: RunOnGitHub,
  args: {
    ref: string;
    environment: string;
    payload: DeploymentPayload;
    description: string;
    transient: boolean;
  },
): Promise<number> {
  const { data } = await octokit.rest.repos.createDeployment({
    ...repoOf(run),
    ref: args.ref,
    environment: args.environment,
    payload: { ...args.payload },
    description: args.description,
    // The running job is itself a pending check on the commit, so GitHub's default would refuse it.
    required_contexts: [],
    auto_merge: false,
    transient_environment: args.transient,
    ...(args.transient ? { production_environment: false } : {}),
  });
  if (!('id' in data)) throw new Error(`GitHub created no deployment: ${data.message ?? ''}`);
  return data.id;
}

export async function setDeploymentStatus(
  octokit: Octokit,
  run: RunOnGitHub,
  id: number,
  status: { state: DeploymentState; description: string; environmentUrl: string | undefined },
): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    ...repoOf(run),
    deployment_id: id,
    state: status.state,
    description: clipDescription(status.description),
    log_url: run.runUrl,
    ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
  });
}

/** Each deployment of the environment with its newest status, newest first (at most `limit`). */
async function deploymentsOf(
  octokit: Octokit,
  run: RunOnGitHub,
  environment: string,
  limit: number,
): Promise<Array<{ id: number; payload: unknown; state: string | undefined }>> {
  const found: Array<{ id: number; payload: unknown; state: string | undefined }> = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
    ...repoOf(run),
    environment,
    per_page: 100,
  })) {
    for (const d of page.data) {
      const { data } = await octokit.rest.repos.listDeploymentStatuses({
        ...repoOf(run),
        deployment_id: d.id,
        per_page: 1,
      });
      found.push({ id: d.id, payload: d.payload, state: data[0]?.state });
      if (found.length >= limit) return found;
    }
  }
  return found;
}

/** The newest deployment of `environment` whose newest status is success; undefined when none is. */
export async function lastSuccessfulDeployment(
  octokit: Octokit,
  run: RunOnGitHub,
  environment: string,
): Promise<{ id: number; payload: unknown } | undefined> {
  const all = await deploymentsOf(octokit, run, environment, 300);
  return all.find((d) => d.state === 'success');
}

/** Marks every deployment of the environment that is not yet inactive `inactive`; returns how many. */
export async function deactivateEnvironment(
  octokit: Octokit,
  run: RunOnGitHub,
  environment: string,
  description: string,
): Promise<number> {
  const all = await deploymentsOf(octokit, run, environment, 300);
  const live = all.filter((d) => d.state !== 'inactive');
  for (const d of live) {
    await setDeploymentStatus(octokit, run, d.id, {
      state: 'inactive',
      description,
      environmentUrl: undefined,
    });
  }
  return live.length;
}
