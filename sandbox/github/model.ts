import { createHash } from 'node:crypto';

/** The states GitHub accepts for a deployment status, as its schema lists them. */
export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface User {
  login: string;
  id: number;
  type: 'Bot' | 'User';
}

/** What GITHUB_TOKEN acts as; its id is the real one, so a test reading `user.id` sees what GitHub sends. */
export const ACTIONS_BOT: User = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface DeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: User;
  createdAt: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  originalEnvironment: string;
  environment: string;
  description: string;
  creator: User;
  createdAt: string;
  updatedAt: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  autoMerge: boolean;
  requiredContexts: string[] | undefined;
  /** Oldest first; the API lists them newest first. */
  statuses: DeploymentStatus[];
}

export interface IssueComment {
  id: number;
  number: number;
  body: string;
  user: User;
  createdAt: string;
  updatedAt: string;
}

export interface PullRequest {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  user: User;
  head: { ref: string; sha: string; repo: string; fork: boolean };
  base: { ref: string; sha: string };
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface Repository {
  id: number;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  /** Branch and tag names (as given, e.g. `main`, `refs/pull/7/merge`) to commit SHAs. */
  refs: Map<string, string>;
  /** Commit status contexts per SHA, e.g. the running job's own pending check. */
  checks: Map<string, Map<string, string>>;
  deployments: Deployment[];
  pulls: Map<number, PullRequest>;
  comments: IssueComment[];
}

export interface GitHubState {
  apiUrl: string;
  serverUrl: string;
  repositories: Map<string, Repository>;
  /** One sequence per kind, as GitHub's ids are; they start far apart so a mixed-up id finds nothing. */
  nextId: { deployment: number; status: number; comment: number; repository: number };
}

export function newGitHubState(apiUrl: string, serverUrl: string): GitHubState {
  return {
    apiUrl,
    serverUrl,
    repositories: new Map(),
    nextId: { deployment: 1_900_000_001, status: 3_700_000_001, comment: 2_500_000_001, repository: 800_001 },
  };
}

export function addRepository(state: GitHubState, fullName: string, defaultBranch = 'main'): Repository {
  const existing = state.repositories.get(fullName.toLowerCase());
  if (existing) return existing;
  const repo: Repository = {
    id: state.nextId.repository++,
    fullName,
    private: true,
    defaultBranch,
    refs: new Map(),
    checks: new Map(),
    deployments: [],
    pulls: new Map(),
    comments: [],
  };
  // Owner and repository names are case-insensitive on GitHub.
  state.repositories.set(fullName.toLowerCase(), repo);
  return repo;
}

/** GitHub's timestamps: ISO 8601 to the second, UTC. */
export function timestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stable 40-hex commit id for a seed, so tests can name commits without a git repository. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export function userId(login: string): number {
  return createHash('sha1').update(login).digest().readUInt32BE(0) % 90_000_000;
}

/** GitHub's global node ids look like `DE_kwDO…`: a type prefix and an opaque base64url part. */
export function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`0${id}`).toString('base64url')}`;
}

/** The state a deployment is in for GitHub: its latest status, or none yet. */
export function latestState(d: Deployment): DeploymentState | undefined {
  return d.statuses.at(-1)?.state;
}
