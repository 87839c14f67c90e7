import { GitHubError, invalidRequest, notFound, paginate, validationFailed } from './http.js';
import {
  DEPLOYMENT_STATES,
  latestState,
  timestamp,
  type Deployment,
  type DeploymentStatus,
  type Repository,
} from './model.js';
import { fields, idParam, routes, type ApiRequest, type Route } from './route.js';
import { deploymentView, statusView } from './views.js';

const DOCS = 'https://docs.github.com/rest/deployments';

function findDeployment(req: ApiRequest): Deployment {
  const id = idParam(req, 'deployment_id');
  const d = req.repo.deployments.find((x) => x.id === id);
  if (!d) throw notFound();
  return d;
}

/** The commit a deployment's ref names: a full SHA as it is, else a known branch, tag or pull ref. */
function resolveRef(repo: Repository, ref: string): string {
  if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
  const sha = repo.refs.get(ref) ?? repo.refs.get(ref.replace(/^refs\/(heads|tags)\//, ''));
  if (!sha) throw new GitHubError(422, `No ref found for: ${ref}`);
  return sha;
}

/**
 * GitHub refuses a deployment whose commit has a required context not in `success` — by default every
 * context on it, the running workflow's own pending job included; `required_contexts: []` checks none.
 */
function checkContexts(repo: Repository, sha: string, ref: string, required: string[] | undefined): void {
  const checks = repo.checks.get(sha) ?? new Map<string, string>();
  const names = required ?? [...checks.keys()];
  const states = names.map((context) => ({ context, state: checks.get(context) ?? null }));
  if (states.every((s) => s.state === 'success')) return;
  throw new GitHubError(409, `Conflict: Commit status checks failed for ${ref}.`, [
    { contexts: states, resource: 'Deployment', field: 'required_contexts', code: 'invalid' },
  ]);
}

function createDeployment(req: ApiRequest) {
  const { body, repo } = req;
  const ref = fields.string(body, 'ref', true) as string;
  const payload = body.payload ?? {};
  if (typeof payload !== 'string' && (typeof payload !== 'object' || Array.isArray(payload)))
    throw invalidRequest(
      `For 'properties/payload', ${JSON.stringify(payload)} is not an object or a string.`,
    );
  const environment = fields.string(body, 'environment') ?? 'production';
  const requiredContexts = fields.stringArray(body, 'required_contexts');
  const sha = resolveRef(repo, ref);
  checkContexts(repo, sha, ref, requiredContexts);
  const now = timestamp(req.now);
  const d: Deployment = {
    id: req.state.nextId.deployment++,
    sha,
    ref,
    task: fields.string(body, 'task') ?? 'deploy',
    // A string stays a string: GitHub does not parse it (cli/cli#7059 shows it echoed back).
    payload,
    originalEnvironment: environment,
    environment,
    description: fields.string(body, 'description') ?? '',
    creator: req.user,
    createdAt: now,
    updatedAt: now,
    transientEnvironment: fields.boolean(body, 'transient_environment') ?? false,
    productionEnvironment: fields.boolean(body, 'production_environment') ?? environment === 'production',
    autoMerge: fields.boolean(body, 'auto_merge') ?? true,
    requiredContexts,
    statuses: [],
  };
  repo.deployments.push(d);
  return { status: 201, body: deploymentView(req.state, repo, d) };
}

function listDeployments(req: ApiRequest) {
  const q = req.url.searchParams;
  const filters = (['sha', 'ref', 'task', 'environment'] as const).flatMap((k) => {
    const v = q.get(k);
    return v === null ? [] : [[k, v] as const];
  });
  const matching = req.repo.deployments
    .filter((d) => filters.every(([k, v]) => d[k] === v))
    .sort((a, b) => b.id - a.id)
    .map((d) => deploymentView(req.state, req.repo, d));
  return paginate(matching, req.url);
}

function getDeployment(req: ApiRequest) {
  return { status: 200, body: deploymentView(req.state, req.repo, findDeployment(req)) };
}

function deleteDeployment(req: ApiRequest) {
  const d = findDeployment(req);
  if (req.repo.deployments.length > 1 && latestState(d) === 'success')
    throw new GitHubError(
      422,
      'We cannot delete an active deployment unless it is the only deployment in a given environment.',
    );
  req.repo.deployments.splice(req.repo.deployments.indexOf(d), 1);
  return { status: 204 };
}

function httpUrl(body: Record<string, unknown>, key: string): string | undefined {
  const v = fields.string(body, key);
  if (v && !/^https?:\/\//i.test(v))
    throw validationFailed({
      resource: 'DeploymentStatus',
      code: 'custom',
      field: key,
      message: `${key} must use http(s) scheme`,
    });
  return v;
}

/** Marks earlier deployments of the environment that were live `inactive`, as GitHub's auto_inactive does. */
function retirePrior(req: ApiRequest, d: Deployment, now: string): void {
  for (const prior of req.repo.deployments) {
    if (prior.id >= d.id || prior.environment !== d.environment || latestState(prior) !== 'success') continue;
    prior.statuses.push({
      id: req.state.nextId.status++,
      state: 'inactive',
      description: '',
      environment: prior.environment,
      logUrl: '',
      environmentUrl: prior.statuses.at(-1)?.environmentUrl ?? '',
      creator: req.user,
      createdAt: now,
    });
    prior.updatedAt = now;
  }
}

function createStatus(req: ApiRequest) {
  const d = findDeployment(req);
  const { body } = req;
  const state = fields.oneOf(body, 'state', DEPLOYMENT_STATES);
  const description = fields.string(body, 'description') ?? '';
  if (description.length > 140)
    throw validationFailed({
      resource: 'DeploymentStatus',
      code: 'custom',
      field: 'description',
      message: 'description is too long (maximum is 140 characters)',
    });
  const logUrl = httpUrl(body, 'log_url') ?? httpUrl(body, 'target_url') ?? '';
  const environmentUrl = httpUrl(body, 'environment_url') ?? '';
  const environment = fields.string(body, 'environment');
  const autoInactive = fields.boolean(body, 'auto_inactive') ?? true;
  const now = timestamp(req.now);
  if (environment) d.environment = environment;
  const status: DeploymentStatus = {
    id: req.state.nextId.status++,
    state,
    description,
    environment: d.environment,
    logUrl,
    environmentUrl,
    creator: req.user,
    createdAt: now,
  };
  d.statuses.push(status);
  d.updatedAt = now;
  if (state === 'success' && autoInactive) retirePrior(req, d, now);
  return { status: 201, body: statusView(req.state, req.repo, d, status) };
}

function listStatuses(req: ApiRequest) {
  const d = findDeployment(req);
  const newestFirst = [...d.statuses].reverse().map((s) => statusView(req.state, req.repo, d, s));
  return paginate(newestFirst, req.url);
}

function getStatus(req: ApiRequest) {
  const d = findDeployment(req);
  const id = idParam(req, 'status_id');
  const s = d.statuses.find((x) => x.id === id);
  if (!s) throw notFound();
  return { status: 200, body: statusView(req.state, req.repo, d, s) };
}

export const DEPLOYMENT_ROUTES: Route[] = routes(['deployments'], DOCS, [
  ['POST', '/deployments', '/deployments#create-a-deployment', createDeployment],
  ['GET', '/deployments', '/deployments#list-deployments', listDeployments],
  ['GET', '/deployments/:deployment_id', '/deployments#get-a-deployment', getDeployment],
  ['DELETE', '/deployments/:deployment_id', '/deployments#delete-a-deployment', deleteDeployment],
  ['POST', '/deployments/:deployment_id/statuses', '/statuses#create-a-deployment-status', createStatus],
  ['GET', '/deployments/:deployment_id/statuses', '/statuses#list-deployment-statuses', listStatuses],
  ['GET', '/deployments/:deployment_id/statuses/:status_id', '/statuses#get-a-deployment-status', getStatus],
]);
