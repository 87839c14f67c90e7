import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export type Service = 'ecs' | 'ecr' | 'ecr-public' | 'codedeploy';

export interface RequestContext {
  service: Service;
  operation: string;
  region: string;
  /** Kept so tests can simulate AccessDenied for one set of credentials. */
  accessKeyId: string | undefined;
  /** As the SDK sends it: names the SDK, the client and the runtime (`md/nodejs#24.…`). */
  userAgent: string;
  body: Record<string, unknown>;
}

const TARGET_PREFIXES: Record<string, Service> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  SpencerFrontendService: 'ecr-public',
  CodeDeploy_20141006: 'codedeploy',
};

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecs/aws4_request, ...` -> key id and region. */
function parseAuthorization(header: string | undefined): { accessKeyId?: string; region?: string } {
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//.exec(header ?? '');
  if (!m) return {};
  return { accessKeyId: m[1] as string, region: m[2] as string };
}

/** Dates go out as epoch seconds, the AWS JSON 1.1 timestamp format; undefined keys are dropped. */
function toWire(value: unknown): unknown {
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

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  route: (ctx: RequestContext) => Promise<unknown>,
): Promise<void> {
  const raw = await readBody(req);
  if (req.method !== 'POST')
    throw new AwsError('UnknownOperationException', `${req.method} is not supported`);
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, operation] = target.split('.');
  const service = TARGET_PREFIXES[prefix ?? ''];
  if (!service || !operation) throw new AwsError('UnknownOperationException', `Unknown target '${target}'`);
  let body: unknown;
  try {
    body = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AwsError('SerializationException', 'Request body must be a JSON object');
  }
  const auth = parseAuthorization(req.headers.authorization);
  const result = await route({
    service,
    operation,
    region: auth.region ?? 'us-east-1',
    accessKeyId: auth.accessKeyId,
    userAgent: String(req.headers['user-agent'] ?? ''),
    body: body as Record<string, unknown>,
  });
  send(res, 200, toWire(result ?? {}));
}

/** One HTTP server speaking AWS JSON 1.1 for every service in `TARGET_PREFIXES`, on a free loopback port. */
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
