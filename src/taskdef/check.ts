import { UserError } from '../errors.js';
import type { Logger } from '../report/log.js';
import type { Service } from '@aws-sdk/client-ecs';
import { findIncompatibilities, type CompatibilityFacts } from './compatibility.js';
import { findLimitMistakes } from './limits.js';
import type { TaskDefinitionDoc } from './load.js';
import { describeUnknownKey, findUnknownKeys } from './validate.js';
import { describeMistake, findValueMistakes } from './values.js';

const UNKNOWN_HINT = 'Fix it, or set allow-unknown-keys: true to drop unknown keys with a warning.';

/**
 * One failure line for every mistake found: the first in the `::error::` line, each of them on a line of
 * its own above it when there are several, so a file with five mistakes is fixed in one round.
 */
function fail(source: string, lines: string[], log: Logger, hint?: string): never {
  const [first] = lines;
  if (lines.length > 1) {
    log.info(`Task definition '${source}' has ${lines.length} mistakes:`);
    for (const line of lines) log.info(`  ${line}`);
  }
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more, listed above)` : '';
  throw new UserError(`Task definition '${source}': ${first}${more}.${hint ? ` ${hint}` : ''}`);
}

/** A copy without the keys at the given places. */
function withoutKeys(doc: TaskDefinitionDoc, places: Array<Array<string | number>>): TaskDefinitionDoc {
  const copy = structuredClone(doc);
  for (const parts of places) {
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) node = (node as Record<string | number, unknown>)?.[part];
    const last = parts.at(-1);
    if (typeof node === 'object' && node !== null && typeof last === 'string') {
      delete (node as Record<string, unknown>)[last];
    }
  }
  return copy;
}

/**
 * Keys and values against RegisterTaskDefinition's shape, before anything is written. Unknown keys fail,
 * or with allow-unknown-keys warn and are dropped (the SDK would drop them anyway); a value of the wrong
 * kind always fails. Returns the document to render.
 */
export function checkTaskDefinition(
  doc: TaskDefinitionDoc,
  source: string,
  allowUnknownKeys: boolean,
  log: Logger,
): TaskDefinitionDoc {
  const unknown = findUnknownKeys(doc);
  const values = findValueMistakes(doc).map(describeMistake);
  if (!allowUnknownKeys && unknown.length > 0) {
    fail(source, [...unknown.map(describeUnknownKey), ...values], log, UNKNOWN_HINT);
  }
  if (values.length > 0) fail(source, values, log);
  if (unknown.length === 0) return doc;
  for (const u of unknown) log.warning(`Task definition '${source}': ${describeUnknownKey(u)} (dropped)`);
  return withoutKeys(
    doc,
    unknown.map((u) => u.at),
  );
}

/** ECS's own limits, on the document as it would be registered (the step's inputs applied). */
export function checkLimits(rendered: TaskDefinitionDoc, source: string, log: Logger): void {
  const mistakes = findLimitMistakes(rendered).map(describeMistake);
  if (mistakes.length > 0) fail(source, mistakes, log);
}

/** Whether the task definition can run on the services it is deployed to; every mismatch before any write. */
export function checkCompatibility(
  rendered: TaskDefinitionDoc,
  source: string,
  services: Service[],
  facts: CompatibilityFacts,
  log: Logger,
): void {
  const lines = findIncompatibilities(rendered, services, facts);
  if (lines.length > 0) fail(source, lines, log);
}
