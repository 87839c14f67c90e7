import type { Scope } from './auth.js';
import { invalidRequest, notFound, type ApiResponse } from './http.js';
import type { GitHubState, Repository, User } from './model.js';

export interface ApiRequest {
  state: GitHubState;
  repo: Repository;
  params: Record<string, string>;
  url: URL;
  body: Record<string, unknown>;
  /** Whom the token acts as. */
  user: User;
  now: number;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below `/repos/:owner/:repo`, e.g. `/deployments/:id`. */
  path: string;
  /** Any one of these with the access the method needs (write for anything but GET). */
  scopes: Scope[];
  /** The page GitHub names in its error bodies. */
  docs: string;
  handle(req: ApiRequest): ApiResponse;
}

/** A table of routes sharing scopes and a documentation base: `[method, path, page anchor, handler]` rows. */
export function routes(
  scopes: Scope[],
  docsBase: string,
  rows: [Route['method'], string, string, Route['handle']][],
): Route[] {
  return rows.map(([method, path, anchor, handle]) => ({
    method,
    path,
    scopes,
    docs: `${docsBase}${anchor}`,
    handle,
  }));
}

/** A path id GitHub would look up: digits only, else nothing is found. */
export function idParam(req: ApiRequest, name: string): number {
  const raw = req.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw notFound();
  return Number(raw);
}

const describe = (v: unknown) => JSON.stringify(v) ?? String(v);

/** Body fields checked the way GitHub's schema does, with its wording. */
export const fields = {
  string(body: Record<string, unknown>, key: string, required = false): string | undefined {
    const v = body[key];
    if (v === undefined || v === null) {
      if (required) throw invalidRequest(`"${key}" wasn't supplied.`);
      return undefined;
    }
    if (typeof v !== 'string')
      throw invalidRequest(`For 'properties/${key}', ${describe(v)} is not a string.`);
    return v;
  },
  boolean(body: Record<string, unknown>, key: string): boolean | undefined {
    const v = body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean')
      throw invalidRequest(`For 'properties/${key}', ${describe(v)} is not a boolean.`);
    return v;
  },
  oneOf<T extends string>(body: Record<string, unknown>, key: string, allowed: readonly T[]): T {
    const v = fields.string(body, key, true) as string;
    if (!(allowed as readonly string[]).includes(v))
      throw invalidRequest(
        `For 'properties/${key}', ${describe(v)} is not a member of ${JSON.stringify(allowed)}.`,
      );
    return v as T;
  },
  stringArray(body: Record<string, unknown>, key: string): string[] | undefined {
    const v = body[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      throw invalidRequest(`For 'properties/${key}', ${describe(v)} is not an array of strings.`);
    return v as string[];
  },
};
