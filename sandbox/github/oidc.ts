// The runner's ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) and the issuer whose keys sign the tokens
// (token.actions.githubusercontent.com): discovery document and JWKS, as a verifier fetches them.
import { randomBytes, randomUUID } from 'node:crypto';
import { closeServer } from '../http.js';
import { listenHttp, sendJson } from './http.js';
import { newSigningKey, signJwt, type PublicJwk } from './jwt.js';
import { idTokenClaims, type ClaimsInput } from './run.js';

interface IdTokenRequest {
  /** The `audience` query parameter, undefined when the action asked for the default. */
  audience: string | undefined;
  status: number;
  at: Date;
}

interface MintOptions {
  audience?: string;
  /** Merged over the claims; a key set to undefined is left out. */
  claims?: Record<string, unknown>;
  /** Signed by a key the JWKS does not hold (under the served kid): a forged token. */
  untrusted?: boolean;
}

export interface OidcIssuer {
  /** The `iss` claim and the discovery base, e.g. `http://127.0.0.1:PORT` (GitHub's has no path either). */
  issuer: string;
  jwksUri: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL: has a query already, as the runner's does; core appends `&audience=`. */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN: the Bearer token the endpoint requires. */
  requestToken: string;
  /** Merged over every issued token's claims, e.g. `{ sub: 'repo:org/other:ref:refs/heads/main' }`. */
  claims: Record<string, unknown>;
  /** exp - iat of issued tokens; GitHub's are 5 minutes. 0 or less gives tokens already expired. */
  lifetimeSeconds: number;
  /** Every ID-token request, in order (the token itself is not kept). */
  requests: IdTokenRequest[];
  /** A token as the endpoint would issue it, without HTTP (for the STS's own tests). */
  mint(opts?: MintOptions): string;
  jwks(): { keys: PublicJwk[] };
  close(): Promise<void>;
}

/** The claims that depend on the run are read at each request, so a test may change the run between steps. */
export async function startOidcIssuer(
  context: () => Omit<ClaimsInput, 'issuer' | 'audience' | 'nowSeconds' | 'lifetimeSeconds'>,
): Promise<OidcIssuer> {
  const key = await newSigningKey();
  const forger = await newSigningKey(key.kid);
  const plan = randomUUID();
  const job = randomUUID();
  const idTokenPath = `/_apis/distributedtask/hubs/Actions/plans/${plan}/jobs/${job}/idtoken`;

  const issuer: OidcIssuer = {
    issuer: '',
    jwksUri: '',
    requestUrl: '',
    requestToken: randomBytes(24).toString('base64url'),
    claims: {},
    lifetimeSeconds: 300,
    requests: [],
    mint(opts = {}) {
      const claims = {
        ...idTokenClaims({
          ...context(),
          issuer: issuer.issuer,
          audience: opts.audience,
          nowSeconds: Math.floor(Date.now() / 1000),
          lifetimeSeconds: issuer.lifetimeSeconds,
        }),
        ...issuer.claims,
        ...opts.claims,
      };
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      return signJwt(opts.untrusted ? forger : key, claims);
    },
    jwks: () => ({ keys: [key.jwk] }),
    close: async () => undefined,
  };

  const { server, url } = await listenHttp(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'GET' && u.pathname === '/.well-known/openid-configuration')
      return sendJson(res, {
        status: 200,
        body: {
          issuer: issuer.issuer,
          jwks_uri: issuer.jwksUri,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'sha', 'repository'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
        },
      });
    if (req.method === 'GET' && u.pathname === '/.well-known/jwks')
      return sendJson(res, { status: 200, body: issuer.jwks() });
    if (u.pathname !== idTokenPath) return sendJson(res, { status: 404, body: { message: 'Not Found' } });
    const audience = u.searchParams.get('audience') ?? undefined;
    const entry: IdTokenRequest = { audience, status: 200, at: new Date() };
    issuer.requests.push(entry);
    if (req.headers.authorization !== `Bearer ${issuer.requestToken}`) {
      entry.status = 401;
      // What the Actions service (an Azure DevOps service underneath) says to a bad request token.
      const message = "TF400813: The user '' is not authorized to access this resource.";
      return sendJson(res, { status: 401, body: { message } });
    }
    sendJson(res, { status: 200, body: { value: issuer.mint(audience === undefined ? {} : { audience }) } });
  });
  issuer.issuer = url;
  issuer.jwksUri = `${url}/.well-known/jwks`;
  issuer.requestUrl = `${url}${idTokenPath}?api-version=2.0`;
  issuer.close = () => closeServer(server);
  return issuer;
}
