import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ValidationError {
  resource: string;
  field: string;
  code: 'missing_field' | 'invalid' | 'custom' | 'already_exists';
  message?: string;
  [extra: string]: unknown;
}

/** An answer GitHub gives instead of the resource: its status code and its JSON error body. */
export class GitHubError extends Error {
  /** The documentation page GitHub names in the body; the route's, filled in when the error passes it. */
  docs: string | undefined;
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: ValidationError[],
  ) {
    super(message);
  }
}

export const notFound = () => new GitHubError(404, 'Not Found');
/** Semantic errors: `{"message":"Validation Failed","errors":[...]}`, status 422. */
export const validationFailed = (...errors: ValidationError[]) =>
  new GitHubError(422, 'Validation Failed', errors);
/** Schema errors: GitHub words these `Invalid request.\n\n…` and lists no errors[]. */
export const invalidRequest = (detail: string) => new GitHubError(422, `Invalid request.\n\n${detail}`);

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `/repos/:owner/:repo/deployments/:id` → params, or undefined when the path does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? '';
    if (part.startsWith(':')) {
      if (actual === '') return undefined;
      params[part.slice(1)] = decodeURIComponent(actual);
    } else if (part !== actual) return undefined;
  }
  return params;
}

/**
 * One page of `items` as GitHub serves lists: `per_page` (default 30, at most 100) and `page` (from 1),
 * and a Link header with prev/next/last/first whenever there is more than one page.
 */
export function paginate(items: unknown[], url: URL): ApiResponse {
  const perPage = Math.min(
    100,
    Math.max(1, Number.parseInt(url.searchParams.get('per_page') ?? '', 10) || 30),
  );
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '', 10) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  if (last === 1) return { status: 200, body };
  const link = (p: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    return `<${u.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, body, headers: { link: links.join(', ') } };
}

export function errorBody(err: GitHubError): Record<string, unknown> {
  return {
    message: err.message,
    ...(err.errors ? { errors: err.errors } : {}),
    documentation_url: err.docs ?? 'https://docs.github.com/rest',
    status: String(err.status),
  };
}

export function sendJson(res: ServerResponse, answer: ApiResponse): void {
  const headers: Record<string, string | number> = {
    'x-github-request-id': crypto.randomUUID().toUpperCase(),
    ...answer.headers,
  };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object body; GitHub answers 400 "Problems parsing JSON" to anything else. */
export function parseJsonBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(raw);
    if (body !== null && typeof body === 'object' && !Array.isArray(body))
      return body as Record<string, unknown>;
  } catch {
    // falls through to the same answer as a non-object
  }
  throw new GitHubError(400, 'Problems parsing JSON');
}

/** An HTTP server on a free loopback port; `handle` answers every request (its errors become 500s). */
export async function listenHttp(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('sandbox github: internal error', err);
      if (!res.headersSent) sendJson(res, { status: 500, body: { message: 'Server Error' } });
      else res.end();
    });
  });
  // Clients keep sockets alive; without this close() would wait for them to time out.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}
