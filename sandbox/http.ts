import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseQuery, queryError, queryResponse, type QueryService } from './query.js';

/** An AWS service error: HTTP 400 with the code in both the header and the body, as the SDK expects. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** An answer outside the AWS protocol: an error page from an emulator or a front door. */
export class RawAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = 'text/html; charset=utf-8',
  ) {
    super(`HTTP ${status}`);
  }
}

/** No answer at all: the connection is closed under the request. */
export class HangUp extends Error {
  constructor() {
    super('hang-up');
  }
}

/** ECS's answer to a request it understood but will not do. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export type Service = 'ecs' | 'ecr' | 'ecr-public' | 'codedeploy' | 'sts' | 'elbv2' | 'iam';

/** The request as it arrived, for checking its SigV4 signature by signing it again (sigv4.ts). */
export interface WireRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

export interface RequestContext {
  service: Service;
  protocol: 'json' | 'query';
  operation: string;
  region: string;
  /** From the Authorization header; undefined for an unsigned call (AssumeRoleWithWebIdentity). */
  accessKeyId: string | undefined;
  /** As the SDK sends it: names the SDK, the client and the runtime (`md/nodejs#24.…`). */
  userAgent: string;
  /** The JSON body, or a Query request's parameters (query.ts shapes). */
  body: Record<string, unknown>;
  wire: WireRequest;
}

const TARGET_PREFIXES: Record<string, Service> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  SpencerFrontendService: 'ecr-public',
  CodeDeploy_20141006: 'codedeploy',
};

/**
 * Query services by their signing name (the credential scope's service) and API version: an unsigned
 * call (AssumeRoleWithWebIdentity) has no scope, so the version tells.
 */
const QUERY_SERVICES: (QueryService & { service: Service; signingName: string })[] = [
  {
    service: 'sts',
    signingName: 'sts',
    version: '2011-06-15',
    xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  },
  {
    service: 'elbv2',
    signingName: 'elasticloadbalancing',
    version: '2015-12-01',
    xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  },
  {
    service: 'iam',
    signingName: 'iam',
    version: '2010-05-08',
    xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
  },
];

/** What a Query service calls the errors the JSON services share (auth, access). */
const QUERY_CODES: Record<string, string> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  AccessDeniedException: 'AccessDenied',
};

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecs/aws4_request, ...` -> key id, region, service. */
function parseAuthorization(header: string | undefined): {
  accessKeyId?: string;
  region?: string;
  signingName?: string;
} {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\//.exec(header ?? '');
  if (!m) return {};
  return { accessKeyId: m[1] as string, region: m[2] as string, signingName: m[3] as string };
}

/** Dates go out as epoch seconds, the AWS JSON 1.1 timestamp format; undefined keys are dropped. */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: AwsError): void {
  send(res, err.status, { __type: err.code, message: err.message }, { 'x-amzn-errortype': err.code });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function wireRequest(req: IncomingMessage, raw: string): WireRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: raw,
  };
}

function parseJsonBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AwsError('SerializationException', 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** The Query service a form-encoded POST is for, or undefined when it is not one. */
function queryServiceOf(req: IncomingMessage, raw: string, signingName: string | undefined) {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return undefined;
  const version = new URLSearchParams(raw).get('Version');
  return QUERY_SERVICES.find((q) => (signingName ? q.signingName === signingName : q.version === version));
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  route: (ctx: RequestContext) => Promise<unknown>,
): Promise<void> {
  const raw = await readBody(req);
  if (req.method !== 'POST')
    throw new AwsError('UnknownOperationException', `${req.method} is not supported`);
  const auth = parseAuthorization(req.headers.authorization);
  const common = {
    region: auth.region ?? 'us-east-1',
    accessKeyId: auth.accessKeyId,
    userAgent: String(req.headers['user-agent'] ?? ''),
    wire: wireRequest(req, raw),
  };
  const query = queryServiceOf(req, raw, auth.signingName);
  if (query) {
    const parsed = parseQuery(raw);
    const requestId = crypto.randomUUID();
    try {
      const result = await route({
        ...common,
        service: query.service,
        protocol: 'query',
        operation: parsed.action,
        body: parsed.params,
      });
      sendXml(res, 200, queryResponse(query, parsed.action, result ?? {}, requestId), requestId);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      const code = QUERY_CODES[err.code] ?? err.code;
      const status =
        err.status === 400 && /^(InvalidClientTokenId|SignatureDoesNotMatch|AccessDenied)$/.test(code)
          ? 403
          : err.status;
      sendXml(res, status, queryError(query, { code, message: err.message, status }, requestId), requestId);
    }
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, operation] = target.split('.');
  const service = TARGET_PREFIXES[prefix ?? ''];
  if (!service || !operation) throw new AwsError('UnknownOperationException', `Unknown target '${target}'`);
  const body = parseJsonBody(raw);
  const result = await route({ ...common, service, protocol: 'json', operation, body });
  send(res, 200, toWire(result ?? {}));
}

function sendXml(res: ServerResponse, status: number, text: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/** One HTTP server speaking AWS JSON 1.1 (`TARGET_PREFIXES`) and the Query protocol (`QUERY_SERVICES`), on a free loopback port. */
export async function listen(
  route: (ctx: RequestContext) => Promise<unknown>,
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    handle(req, res, route).catch((err: unknown) => {
      if (err instanceof AwsError) return sendError(res, err);
      if (err instanceof HangUp) return req.socket.destroy();
      if (err instanceof RawAnswer) {
        res.writeHead(err.status, {
          'content-type': err.contentType,
          'content-length': Buffer.byteLength(err.body),
        });
        return res.end(err.body);
      }
      console.error('sandbox: internal error', err);
      sendError(res, new AwsError('ServerException', String(err), 500));
    });
  });
  // The SDK keeps sockets alive; without this close() would wait for them to time out.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
