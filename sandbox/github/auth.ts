import { ACTIONS_BOT, userId, type User } from './model.js';

/** The GITHUB_TOKEN permission each route needs (`permissions:` in a workflow). */
export type Scope = 'contents' | 'deployments' | 'issues' | 'metadata' | 'pull_requests';
export type Access = 'none' | 'read' | 'write';
/** What a request came with, as the request log records it. */
export type Permission = Access | 'bad credentials' | 'anonymous';

export interface TokenOptions {
  /** false = what a fork's pull request gets: read everywhere, writes answered 403. */
  write: boolean;
  /** Whom the token acts as; github-actions[bot] by default, as GITHUB_TOKEN does. */
  login?: string;
  /** Per-scope access that overrides `write`, e.g. `{ deployments: 'write', issues: 'none' }`. */
  permissions?: Partial<Record<Scope, Access>>;
}

export interface Grant {
  user: User;
  access: Record<Scope, Access>;
}

const SCOPES: Scope[] = ['contents', 'deployments', 'issues', 'metadata', 'pull_requests'];

export function grantFor(opts: TokenOptions): Grant {
  const base: Access = opts.write ? 'write' : 'read';
  const access = Object.fromEntries(SCOPES.map((s) => [s, opts.permissions?.[s] ?? base])) as Record<
    Scope,
    Access
  >;
  // Every installation token can read metadata; GitHub does not let a workflow take that away.
  if (access.metadata === 'none') access.metadata = 'read';
  const user: User = opts.login ? { login: opts.login, id: userId(opts.login), type: 'User' } : ACTIONS_BOT;
  return { user, access };
}

/** The token in `Authorization: token X`, `Bearer X` or `Basic base64(user:X)`; undefined when absent. */
export function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  switch (scheme.toLowerCase()) {
    case 'token':
    case 'bearer':
      return value;
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.slice(decoded.indexOf(':') + 1);
    }
    default:
      // An unknown scheme is a credential GitHub cannot use: answered like a bad token.
      return header;
  }
}

/** The best access any of `scopes` gives (a PR comment needs issues OR pull_requests). */
export function accessTo(grant: Grant, scopes: Scope[]): Access {
  const rank: Access[] = ['none', 'read', 'write'];
  return scopes
    .map((s) => grant.access[s])
    .reduce((a, b) => (rank.indexOf(b) > rank.indexOf(a) ? b : a), 'none');
}
