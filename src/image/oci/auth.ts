import { UserError } from '../../errors.js';
import type { Credentials } from '../../inputs/image.js';

export interface Challenge {
  /** Lower-cased: `basic` or `bearer` (anything else is refused). */
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://auth/token",service="reg",scope="repository:a:pull"` → scheme and params. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const p of (match[2] ?? '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[(p[1] ?? '').toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: (match[1] ?? '').toLowerCase(), params };
}

/** The token endpoint URL for a Bearer challenge and the scopes a request needs. */
export function tokenUrl(challenge: Challenge, scopes: string[]): URL {
  const realm = challenge.params.realm;
  if (!realm) throw new Error('The registry asked for a Bearer token without naming a realm.');
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  const wanted = new Set(scopes);
  if (challenge.params.scope) for (const s of challenge.params.scope.split(' ')) wanted.add(s);
  for (const scope of wanted) if (scope !== '') url.searchParams.append('scope', scope);
  return url;
}

export type TokenFetcher = (
  url: URL,
  headers: Record<string, string>,
) => Promise<{ status: number; body: Buffer }>;

/** A refused login: one line naming whose credentials and which registry; never the secret. */
export class AuthError extends UserError {
  override name = 'AuthError';
}

/**
 * The registry's auth dance, per registry: Basic (ECR, htpasswd) sends the credentials on every request;
 * Bearer trades them at the realm for a token per scope. Learned from the first 401, then sent up front.
 */
export class Authenticator {
  private basic = false;
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly host: string,
    private readonly credentials: Credentials | undefined,
    /** Whose credentials, for error lines: e.g. "the ECR login" or "source-username/source-password". */
    private readonly who: string,
    private readonly fetchToken: TokenFetcher,
  ) {}

  /** The Authorization header for a request needing `scope`, if one is known yet. */
  header(scope: string): string | undefined {
    if (this.basic && this.credentials) {
      const { username, password } = this.credentials;
      return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return this.tokens.get(scope);
  }

  /**
   * After a 401: learn the scheme and get what it asks for. A Bearer token is fetched afresh even if one
   * was sent (tokens expire during long pushes); a 401 to the request sent with that (`again`) or to
   * Basic credentials already sent means "refused".
   */
  async unauthorized(scope: string, wwwAuthenticate: string | undefined, again: boolean): Promise<void> {
    const challenge = parseChallenge(wwwAuthenticate);
    if (again || !challenge) throw this.refused();
    if (challenge.scheme === 'basic') {
      if (!this.credentials) throw this.needsCredentials();
      if (this.basic) throw this.refused();
      this.basic = true;
      return;
    }
    if (challenge.scheme !== 'bearer') {
      throw new UserError(
        `Registry ${this.host} asks for '${challenge.scheme}' authentication, not Basic or Bearer.`,
      );
    }
    const headers: Record<string, string> = {};
    if (this.credentials) {
      const { username, password } = this.credentials;
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    const url = tokenUrl(challenge, scope.split(' '));
    const res = await this.fetchToken(url, headers);
    if (res.status === 401 || res.status === 403)
      throw this.credentials ? this.refused() : this.needsCredentials();
    if (res.status !== 200) throw new Error(`Token server ${url.host} answered ${res.status}.`);
    let token: unknown;
    try {
      const json = JSON.parse(res.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      throw new Error(`Token server ${url.host} answered without a token.`);
    }
    this.tokens.set(scope, `Bearer ${token}`);
  }

  private refused(): AuthError {
    const user = this.credentials ? ` for user '${this.credentials.username}'` : '';
    return new AuthError(`Registry ${this.host} refused ${this.who}${user} (401 Unauthorized).`);
  }

  private needsCredentials(): AuthError {
    return new AuthError(`Registry ${this.host} requires credentials: set ${this.who}.`);
  }
}
