// The runner's ID-token endpoint, asked directly (what @actions/core getIDToken does) so the request goes
// through the step's own proxy handling (network.ts): @actions/http-client's never proxies a loopback host.
import http from 'node:http';
import https from 'node:https';
import { UserError } from '../errors.js';
import { networkAgents } from '../network.js';
import { mask } from '../report/log.js';

/** A small GET with the step's agents (a proxy, a CA bundle) when it has them. */
function get(url: URL, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const secure = url.protocol === 'https:';
  const agent = secure ? networkAgents()?.https : networkAgents()?.http;
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, {
      headers,
      timeout: 30_000,
      ...(agent ? { agent } : {}),
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function fetchIdToken(source: {
  requestUrl: string;
  requestToken: string;
  audience: string;
}): Promise<string> {
  const url = new URL(`${source.requestUrl}&audience=${encodeURIComponent(source.audience)}`);
  let res: { status: number; text: string };
  try {
    res = await get(url, { authorization: `Bearer ${source.requestToken}`, accept: 'application/json' });
  } catch (err) {
    throw new UserError(
      `Could not reach the runner's ID-token endpoint (${url.host}): ${(err as Error).message}`,
    );
  }
  const { text } = res;
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (res.status !== 200 || typeof value !== 'string' || value === '') {
    throw new UserError(
      `The runner's ID-token endpoint answered HTTP ${res.status} without a token: does the job have \`permissions: id-token: write\`?`,
    );
  }
  mask(value);
  return value;
}
