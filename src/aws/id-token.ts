// The runner's ID-token endpoint, asked directly (what @actions/core getIDToken does) so the request goes
// through the step's own proxy handling: @actions/http-client's never proxies a loopback host.
import { UserError } from '../errors.js';
import { mask } from '../report/log.js';

export async function fetchIdToken(source: {
  requestUrl: string;
  requestToken: string;
  audience: string;
}): Promise<string> {
  const url = `${source.requestUrl}&audience=${encodeURIComponent(source.audience)}`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${source.requestToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new UserError(`Could not reach the runner's ID-token endpoint: ${String(err)}`);
  }
  const text = await res.text();
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (!res.ok || typeof value !== 'string' || value === '') {
    throw new UserError(
      `The runner's ID-token endpoint answered HTTP ${res.status} without a token: does the job have \`permissions: id-token: write\`?`,
    );
  }
  mask(value);
  return value;
}
