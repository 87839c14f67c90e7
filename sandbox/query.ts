// The AWS Query protocol, as STS and Elastic Load Balancing v2 speak it: a form-encoded POST
// (`Action=…&Version=…&Param.member.1=…`) answered with XML. Shared so each Query service only writes its
// operations; the JSON services live in http.ts.

/** A parsed parameter: a string, a list (`X.member.N`), or a structure (`X.Y`). */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

export interface QueryRequest {
  action: string;
  version: string;
  params: Record<string, QueryValue>;
}

/** A Query service: its API version and the XML namespace its answers carry. */
export interface QueryService {
  version: string;
  xmlns: string;
}

function setPath(target: Record<string, QueryValue>, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  // `member.N` (and `entry.N` for maps) make a list; the index is 1-based on the wire.
  if (rest[0] === 'member' && rest.length >= 2) {
    const list = (Array.isArray(target[head]) ? target[head] : (target[head] = [])) as QueryValue[];
    const index = Number(rest[1]) - 1;
    if (!Number.isInteger(index) || index < 0) return;
    if (rest.length === 2) {
      list[index] = value;
      return;
    }
    const item = (
      typeof list[index] === 'object' && !Array.isArray(list[index]) ? list[index] : {}
    ) as Record<string, QueryValue>;
    list[index] = item;
    setPath(item, rest.slice(2), value);
    return;
  }
  const child = target[head];
  const struct = (typeof child === 'object' && !Array.isArray(child) ? child : (target[head] = {})) as Record<
    string,
    QueryValue
  >;
  setPath(struct, rest, value);
}

/** `Action=X&Version=Y&Names.member.1=a&Tags.member.1.Key=k` -> { action, version, params: { Names: ['a'], Tags: [{ Key: 'k' }] } }. */
export function parseQuery(body: string): QueryRequest {
  const form = new URLSearchParams(body);
  const params: Record<string, QueryValue> = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    setPath(params, key.split('.'), value);
  }
  // A sparse list (member.2 without member.1) would leave holes; the wire never sends one, but be safe.
  const compact = (v: QueryValue): QueryValue =>
    Array.isArray(v)
      ? v.filter((x) => x !== undefined).map(compact)
      : typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]))
        : v;
  return {
    action: form.get('Action') ?? '',
    version: form.get('Version') ?? '',
    params: compact(params) as Record<string, QueryValue>,
  };
}

/** One string parameter, or undefined; a list or structure where a string belongs counts as absent. */
export function stringParam(params: Record<string, QueryValue>, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Objects become elements named by their keys, arrays a `<member>` per item (Query's list shape), Dates
 * ISO 8601 (Query's timestamp format), undefined and null are left out.
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  return escapeXml(String(value));
}

/** `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId>…` as every Query operation answers. */
export function queryResponse(
  service: QueryService,
  action: string,
  result: unknown,
  requestId: string,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${service.xmlns}">` +
    `<${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

/** `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…` with the request id after it. */
export function queryError(
  service: QueryService,
  error: { code: string; message: string; status: number },
  requestId: string,
): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${service.xmlns}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>`
  );
}
