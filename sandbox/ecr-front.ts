// ECR's registry endpoint in policy mode, ECR Public's too: each registry request is the IAM action the
// registry checks for it (HEAD blob = ecr:BatchCheckLayerAvailability, POST uploads = ecr:InitiateLayerUpload,
// …, or their ecr-public: twins), asked for the principal whose GetAuthorizationToken the login used, and
// refused as ECR refuses it: HTTP 403 with a DENIED error naming the action. Allowed requests go on to the
// real registry with its own password.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ecrPublicRepositoryArn } from './ecr-public.js';
import { ACCOUNT, type Iam, type Principal } from './iam.js';
import { deniedMessage, evaluate } from './iam-policy.js';

export interface EcrFront {
  port: number;
  /** A token `api`'s GetAuthorizationToken handed `principal`; the login's password. */
  issue(principal: Principal, api: RegistryApi): string;
  close(): Promise<void>;
}

/** Which API's login a token came from: their registries check different IAM actions. */
export type RegistryApi = 'ecr' | 'ecr-public';

/**
 * The IAM action of a registry request (Docker Registry HTTP API v2), with the repository it acts on. ECR
 * Public's repository is the path after the alias (`/v2/<alias>/<name>/…`), and its pulls are anonymous:
 * they ask nothing (undefined).
 */
export function registryAction(
  method: string,
  path: string,
  api: RegistryApi = 'ecr',
): { action: string; repository: string } | undefined {
  const m = /^\/v2\/(.+?)\/(blobs\/uploads|blobs|manifests)(\/[^?]*)?(?:\?.*)?$/.exec(path);
  if (!m) return undefined;
  const [, path0 = '', kind] = m;
  const read = method === 'GET' || method === 'HEAD';
  let action: string;
  if (kind === 'manifests') action = read ? 'BatchGetImage' : 'PutImage';
  else if (kind === 'blobs')
    action = method === 'HEAD' ? 'BatchCheckLayerAvailability' : 'GetDownloadUrlForLayer';
  else if (method === 'POST') action = 'InitiateLayerUpload';
  else if (method === 'PUT') action = 'CompleteLayerUpload';
  else action = 'UploadLayerPart';
  if (api === 'ecr') return { action: `ecr:${action}`, repository: path0 };
  if (action === 'BatchGetImage' || action === 'GetDownloadUrlForLayer') return undefined;
  return { action: `ecr-public:${action}`, repository: path0.slice(path0.indexOf('/') + 1) };
}

const repositoryArn = (api: RegistryApi, region: string, name: string): string =>
  api === 'ecr' ? `arn:aws:ecr:${region}:${ACCOUNT}:repository/${name}` : ecrPublicRepositoryArn(name);

function deny(res: import('node:http').ServerResponse, message: string, status = 403): void {
  const body = JSON.stringify({ errors: [{ code: status === 401 ? 'UNAUTHORIZED' : 'DENIED', message }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'docker-distribution-api-version': 'registry/2.0',
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="https://ecr.amazonaws.com/"' } : {}),
  });
  res.end(body);
}

/** The password of a Basic Authorization header. */
function passwordOf(req: IncomingMessage): string | undefined {
  const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  return text.slice(text.indexOf(':') + 1);
}

export async function startEcrFront(
  iam: Iam,
  registry: { port: number; password: string },
  region = 'us-east-1',
): Promise<EcrFront> {
  const tokens = new Map<string, { principal: Principal; api: RegistryApi }>();
  const realAuth = `Basic ${Buffer.from(`AWS:${registry.password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const password = passwordOf(req);
    const login = password === undefined ? undefined : tokens.get(password);
    const principal = login?.principal;
    const wanted = login && registryAction(req.method ?? 'GET', path, login.api);
    const policies = principal && iam.policiesOf(principal);
    if (login && principal && wanted && policies) {
      const ask = { action: wanted.action, resource: repositoryArn(login.api, region, wanted.repository) };
      const decision = evaluate(policies, ask);
      if (decision !== 'allowed') return deny(res, deniedMessage(principal.arn, ask, decision));
    }
    const headers = { ...req.headers, ...(principal ? { authorization: realAuth } : {}) };
    const upstream = request(
      { host: '127.0.0.1', port: registry.port, method: req.method, path, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    issue: (principal, api) => {
      const token = `${principal.accessKeyId}.${Math.random().toString(36).slice(2)}`;
      tokens.set(token, { principal, api });
      return token;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
