import { inputError, UserError } from '../errors.js';

/** Reads one raw input; the runner's INPUT_* variables in the action, a table in tests. */
export type InputReader = (name: string) => string;

/** Splits a multi-line or comma-separated list input, trimming blanks. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim().toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw inputError(name, raw, 'true or false');
}

export function parseNumber(
  name: string,
  raw: string,
  fallback: number,
  range: { min: number; max: number; unit: string; integer?: boolean },
): number {
  const value = raw.trim();
  if (value === '') return fallback;
  const n = Number(value);
  const shape = range.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!shape.test(value) || !Number.isFinite(n) || n < range.min || n > range.max) {
    const kind = range.integer ? 'a whole number' : 'a number';
    throw inputError(name, raw, `${kind} of ${range.unit} from ${range.min} to ${range.max}`);
  }
  return n;
}

/** One of a fixed set of words, case-insensitive; returns the canonical spelling. */
export function parseChoice<T extends string>(
  name: string,
  raw: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = raw.trim();
  if (value === '') return fallback;
  const found = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!found) throw inputError(name, raw, `one of ${choices.join(', ')}`);
  return found;
}

/** A command as a JSON array of strings, at least one: `["npm","run","migrate"]`. */
export function parseJsonWords(name: string, raw: string, expected: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw inputError(name, raw, expected);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((w) => typeof w === 'string')) {
    throw inputError(name, raw, expected);
  }
  return parsed;
}

export function required(read: InputReader, name: string, what: string): string {
  const value = read(name).trim();
  if (value === '') throw new UserError(`Input '${name}' is required: ${what}.`);
  return value;
}

export function matching(name: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw inputError(name, value, expected);
  return value;
}
