import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { networkAgents } from '../../network.js';

/**
 * The only place that touches the network for the registry client. Keep-alive agents: a push is many
 * small requests (HEAD per blob, upload sessions, manifests) to the same host.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export type Body = Buffer | ((req: ClientRequest) => Promise<void>);

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

const IDLE_TIMEOUT_MS = 60_000;

/**
 * One request. A function body streams itself into the request (respecting backpressure) and ends it;
 * its failure aborts the request, so a half-sent body never looks complete to the registry.
 */
export function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: Body,
): Promise<HttpResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = transport.request(url, {
      method,
      headers,
      // The step's proxy-aware agents when the environment names a proxy or a CA bundle (network.ts).
      agent:
        url.protocol === 'https:'
          ? (networkAgents()?.https ?? agents['https:'])
          : (networkAgents()?.http ?? agents['http:']),
      timeout: IDLE_TIMEOUT_MS,
    });
    req.on('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }));
    req.on('error', reject);
    req.on('timeout', () => {
      const err = Object.assign(new Error(`${method} ${url.host} timed out`), { code: 'ETIMEDOUT' });
      req.destroy(err);
    });
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else
      body(req).catch((err: unknown) => {
        req.destroy(err instanceof Error ? err : new Error(String(err)));
        reject(err);
      });
  });
}

/** Writes a chunk, waiting for the socket to drain when the request's buffer is full. */
export async function write(req: ClientRequest, chunk: Buffer): Promise<void> {
  if (req.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      req.off('drain', onDrain);
      req.off('close', onClose);
      req.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    req.once('drain', onDrain);
    req.once('close', onClose);
    req.once('error', done);
  });
}

/** The response body as a buffer; for manifests, tokens and error documents, which are small. */
export async function readAll(res: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new Error(`Response larger than ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads and drops a body so the keep-alive socket can serve the next request. */
export async function discard(res: IncomingMessage): Promise<void> {
  for await (const _ of res) {
    // nothing
  }
}
