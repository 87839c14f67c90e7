// Reading ELBv2's Query parameters (lists as `X.member.N`), its validation errors and paging.
import { AwsError } from '../http.js';
import { stringParam, type QueryValue } from '../query.js';
import type { ElbTag } from './model.js';

export type Params = Record<string, QueryValue>;

const notFound = (code: string, what: string) => new AwsError(code, `One or more ${what} not found`);
export const validation = (message: string) => new AwsError('ValidationError', message);

function list(params: Params, name: string): QueryValue[] | undefined {
  const v = params[name];
  return Array.isArray(v) ? v : undefined;
}

export const strings = (params: Params, name: string): string[] | undefined =>
  list(params, name)?.filter((v): v is string => typeof v === 'string');

export const records = (params: Params, name: string): Record<string, QueryValue>[] =>
  (list(params, name) ?? []).filter(
    (v): v is Record<string, QueryValue> => typeof v === 'object' && !Array.isArray(v),
  );

export function integer(params: Params, name: string): number | undefined {
  const raw = stringParam(params, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw validation(`'${raw}' at '${name}' is not an integer`);
  return n;
}

export function tagsOf(params: Params): ElbTag[] {
  const tags = records(params, 'Tags').map((t) => ({
    Key: String(t.Key ?? ''),
    ...(typeof t.Value === 'string' ? { Value: t.Value } : {}),
  }));
  const keys = tags.map((t) => t.Key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup !== undefined) throw new AwsError('DuplicateTagKeys', `Tag key '${dup}' is duplicated`);
  return tags;
}

/** Marker/PageSize paging: the marker is the index of the next item. */
export function page<T>(items: T[], params: Params, key: string) {
  const size = integer(params, 'PageSize') ?? 400;
  if (size < 1 || size > 400) throw validation('PageSize must be between 1 and 400');
  const start = Number(stringParam(params, 'Marker') ?? '0') || 0;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { [key]: items.slice(start, start + size), ...(next ? { NextMarker: next } : {}) };
}

export function missing(code: string, what: string): never {
  throw notFound(code, what);
}
