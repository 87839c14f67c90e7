import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessTo, tokenOf, type Access, type Grant, type Permission } from './auth.js';
import { DEPLOYMENT_ROUTES } from './deployments.js';
import {
  errorBody,
  GitHubError,
  matchPath,
  notFound,
  parseJsonBody,
  readBody,
  sendJson,
  type ApiResponse,
} from './http.js';
import { ISSUE_ROUTES } from './issues.js';
import type { GitHubState } from './model.js';
import type { Route } from './route.js';

const ROUTES: Route[] = [...DEPLOYMENT_ROUTES, ...ISSUE_ROUTES];

export interface GitHubRequestLogEntry {
  method: string;
  /** Without the query, e.g. `/repos/org/app/deployments`. */
  path: string;
  /** `?environment=pr-7&per_page=100`, or ''. */
  query: string;
  /** What the token may do with this route's resource; `bad credentials` / `anonymous` without a good one. */
  permission: Permission;
  /** Whom the token acts as, when it is known. */
  login?: string;
  status: number;
  at: Date;
}

export interface ApiContext {
  state: GitHubState;
  tokens: Map<string, Grant>;
  requests: GitHubRequestLogEntry[];
  /** A test's answer for chosen requests instead of the API's (a 500, a rate limit); still logged. */
  intercept: ((entry: GitHubRequestLogEntry) => GitHubError | undefined) | undefined;
}

function findRoute(method: string, path: string) {
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) return undefined;
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, m[3] ?? '');
    if (params)
      return {
        route,
        repoName: `${decodeURIComponent(m[1] ?? '')}/${decodeURIComponent(m[2] ?? '')}`,
        params,
      };
  }
  return undefined;
}

const RANK: Access[] = ['none', 'read', 'write'];

async function answer(
  ctx: ApiContext,
  req: IncomingMessage,
  url: URL,
  entry: GitHubRequestLogEntry,
): Promise<ApiResponse> {
  const method = req.method ?? 'GET';
  const token = tokenOf(req.headers.authorization);
  const grant = token === undefined ? undefined : ctx.tokens.get(token);
  if (token !== undefined && !grant) {
    entry.permission = 'bad credentials';
    throw new GitHubError(401, 'Bad credentials');
  }
  if (grant) entry.login = grant.user.login;
  const found = findRoute(method, url.pathname);
  if (grant)
    entry.permission = found
      ? accessTo(grant, found.route.scopes)
      : accessTo(grant, ['contents', 'deployments', 'issues', 'pull_requests']);
  const intercepted = ctx.intercept?.(entry);
  if (intercepted) throw intercepted;
  if (!found) throw notFound();
  const { route, repoName, params } = found;
  const fail = (err: GitHubError) => ((err.docs ??= route.docs), err);
  const repo = ctx.state.repositories.get(repoName.toLowerCase());
  // A private repository does not exist for someone who may not see it.
  if (!repo || (!grant && repo.private)) throw fail(notFound());
  const write = method !== 'GET';
  if (!grant) {
    if (write) throw fail(new GitHubError(401, 'Requires authentication'));
  } else if (RANK.indexOf(entry.permission as Access) < (write ? 2 : 1)) {
    throw fail(new GitHubError(403, 'Resource not accessible by integration'));
  }
  const body = write ? parseJsonBody(await readBody(req)) : {};
  const user = grant?.user ?? { login: 'anonymous', id: 0, type: 'User' as const };
  try {
    return route.handle({ state: ctx.state, repo, params, url, body, user, now: Date.now() });
  } catch (err) {
    throw err instanceof GitHubError ? fail(err) : err;
  }
}

/** Answers one REST request as api.github.com would, and logs it. */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.state.apiUrl);
  const entry: GitHubRequestLogEntry = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.search,
    permission: 'anonymous',
    status: 0,
    at: new Date(),
  };
  ctx.requests.push(entry);
  let result: ApiResponse;
  try {
    result = await answer(ctx, req, url, entry);
  } catch (err) {
    if (!(err instanceof GitHubError)) throw err;
    result = { status: err.status, body: errorBody(err) };
  }
  entry.status = result.status;
  sendJson(res, result);
}
