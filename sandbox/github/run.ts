// The workflow run the action is in: what the runner's GITHUB_* variables and the ID token's claims say.
import { randomUUID } from 'node:crypto';
import { fakeSha, userId } from './model.js';

export interface RunContext {
  repository: string;
  eventName: string;
  /** GITHUB_REF: `refs/heads/main`, or `refs/pull/7/merge` on a pull_request event. */
  ref: string;
  /** GITHUB_SHA: the pushed commit, or the PR's merge commit. */
  sha: string;
  /** The job's `environment:`; it makes the token's subject `repo:…:environment:NAME`. */
  environment: string | undefined;
  workflow: string;
  /** `.github/workflows/deploy.yml`: in workflow_ref and job_workflow_ref. */
  workflowPath: string;
  job: string;
  runId: number;
  runNumber: number;
  runAttempt: number;
  actor: string;
  /** GITHUB_HEAD_REF / GITHUB_BASE_REF: set on pull_request events only. */
  headRef: string;
  baseRef: string;
}

export function defaultRun(repository: string): RunContext {
  return {
    repository,
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: fakeSha(`${repository} main`),
    environment: undefined,
    workflow: 'deploy',
    workflowPath: '.github/workflows/deploy.yml',
    job: 'deploy',
    runId: 9_120_000_001,
    runNumber: 42,
    runAttempt: 1,
    actor: 'octocat',
    headRef: '',
    baseRef: '',
  };
}

/** GitHub's subject claim: the environment wins, then a pull_request event, then the ref. */
export function subjectOf(run: RunContext): string {
  if (run.environment) return `repo:${run.repository}:environment:${run.environment}`;
  if (run.eventName === 'pull_request') return `repo:${run.repository}:pull_request`;
  return `repo:${run.repository}:ref:${run.ref}`;
}

export interface ClaimsInput {
  run: RunContext;
  repositoryId: number;
  serverUrl: string;
  issuer: string;
  /** The `audience` asked for; GitHub's default is the owner's URL, e.g. `https://github.com/org`. */
  audience: string | undefined;
  nowSeconds: number;
  lifetimeSeconds: number;
}

/** The claims of GitHub's Actions ID token (all custom claims are strings, as GitHub sends them). */
export function idTokenClaims(input: ClaimsInput): Record<string, unknown> {
  const { run } = input;
  const owner = run.repository.split('/')[0] ?? '';
  const workflowRef = `${run.repository}/${run.workflowPath}@${run.ref}`;
  return {
    jti: randomUUID(),
    sub: subjectOf(run),
    aud: input.audience ?? `${input.serverUrl}/${owner}`,
    ref: run.ref,
    sha: run.sha,
    repository: run.repository,
    repository_owner: owner,
    repository_owner_id: String(userId(owner)),
    repository_id: String(input.repositoryId),
    repository_visibility: 'private',
    run_id: String(run.runId),
    run_number: String(run.runNumber),
    run_attempt: String(run.runAttempt),
    runner_environment: 'github-hosted',
    actor: run.actor,
    actor_id: String(userId(run.actor)),
    workflow: run.workflow,
    head_ref: run.headRef,
    base_ref: run.baseRef,
    event_name: run.eventName,
    ref_type: run.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    workflow_ref: workflowRef,
    workflow_sha: run.sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: run.sha,
    ...(run.environment ? { environment: run.environment } : {}),
    iss: input.issuer,
    nbf: input.nowSeconds,
    exp: input.nowSeconds + input.lifetimeSeconds,
    iat: input.nowSeconds,
  };
}

/** The runner's GITHUB_* variables for the run (the event file and the ID-token variables come elsewhere). */
export function runEnv(run: RunContext, urls: { apiUrl: string; serverUrl: string }): Record<string, string> {
  return {
    GITHUB_API_URL: urls.apiUrl,
    GITHUB_SERVER_URL: urls.serverUrl,
    GITHUB_REPOSITORY: run.repository,
    GITHUB_REPOSITORY_OWNER: run.repository.split('/')[0] ?? '',
    GITHUB_RUN_ID: String(run.runId),
    GITHUB_RUN_NUMBER: String(run.runNumber),
    GITHUB_RUN_ATTEMPT: String(run.runAttempt),
    GITHUB_WORKFLOW: run.workflow,
    GITHUB_JOB: run.job,
    GITHUB_ACTOR: run.actor,
    GITHUB_EVENT_NAME: run.eventName,
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: run.ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\//, ''),
    GITHUB_REF_TYPE: run.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_SHA: run.sha,
    GITHUB_HEAD_REF: run.headRef,
    GITHUB_BASE_REF: run.baseRef,
  };
}
