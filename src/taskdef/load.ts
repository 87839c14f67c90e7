import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ECSClient, Service, Tag } from '@aws-sdk/client-ecs';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { parseDocument, visit, type Document } from 'yaml';
import { isNamed } from '../aws/errors.js';
import { errorMessage, UserError } from '../errors.js';
import { isObject } from './json.js';

export type TaskDefinitionDoc = Record<string, unknown>;

type Format = 'JSON' | 'YAML';

// Indentation and comments may make a file larger than the 64 KiB ECS counts, but not 16 times larger.
const MAX_FILE_BYTES = 1024 * 1024;

function formatOf(path: string, text: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'JSON';
  if (ext === '.yaml' || ext === '.yml') return 'YAML';
  return text.trimStart().startsWith('{') ? 'JSON' : 'YAML';
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** The offset V8 reports, if any; Node 20 gives "at position N", newer Node also "(line L column C)". */
function jsonErrorOffset(text: string, message: string): number | undefined {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lc) {
    const lines = text.split('\n').slice(0, Number(lc[1]) - 1);
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
  }
  if (/end of JSON input/.test(message)) return text.length;
  return undefined;
}

/**
 * For messages without a position ("Unexpected token 'x', ... is not valid JSON"): the shortest prefix
 * that fails for a reason other than ending early ends at the bad character. Failing is monotonic in
 * the prefix length, so a binary search needs only a few parses.
 */
function firstBadOffset(text: string): number | undefined {
  const failsInside = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (err) {
      const at = jsonErrorOffset(text.slice(0, k), errorMessage(err));
      return at === undefined || at < k;
    }
  };
  if (!failsInside(text.length)) return undefined;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Location and the first clause only: some V8 messages quote the whole input, which may hold secrets. */
function describeJsonError(text: string, err: unknown): string {
  const message = errorMessage(err);
  const offset = jsonErrorOffset(text, message) ?? firstBadOffset(text);
  const reason = message.replace(/,\s*(?:\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  if (offset === undefined) return reason;
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column}: ${reason}`;
}

function parseText(path: string, text: string): unknown {
  const format = formatOf(path, text);
  if (format === 'JSON') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new UserError(
        `Task definition file '${path}' is not valid JSON: ${describeJsonError(text, err)}.`,
      );
    }
  }
  return parseYaml(path, text);
}

/** The first alias (or the one named), where it is: the place to point at when aliases fail. */
function aliasPosition(doc: Document, text: string, name?: string): string {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (offset !== undefined || (name !== undefined && node.source !== name)) return;
      offset = node.range?.[0];
    },
  });
  if (offset === undefined) return '';
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column}: `;
}

// Far more than any task definition needs (they have none, usually), far less than a billion laughs.
const MAX_ALIASES = 100;

/**
 * YAML as plain data: the core schema, one document, unique keys, no custom tags (`!!js/function` is not
 * data), and at most MAX_ALIASES alias expansions. Every refusal names the file and the line.
 */
function parseYaml(path: string, text: string): unknown {
  const fail = (where: string, reason: string): never => {
    throw new UserError(`Task definition file '${path}' is not valid YAML: ${where}${reason}.`);
  };
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}: ` : '';
    const reason =
      first.code === 'MULTIPLE_DOCS'
        ? "a second document starts here ('---'); expected one task definition"
        : (first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code);
    fail(where, reason);
  }
  const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tag) {
    const at = tag.linePos?.[0];
    const name = /Unresolved tag: (\S+)/.exec(tag.message)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!') ?? '';
    fail(
      at ? `line ${at.line}, column ${at.col}: ` : '',
      `the tag ${name} is not plain data (write the value itself)`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    const message = errorMessage(err);
    const unresolved = /Unresolved alias[^:]*: (.*)$/.exec(message);
    if (unresolved) {
      const name = unresolved[1] ?? '';
      return fail(aliasPosition(doc, text, name), `the alias *${name} has no anchor &${name} before it`);
    }
    if (/Excessive alias count/.test(message)) {
      const reason = `its aliases expand more than ${MAX_ALIASES} times (a "billion laughs" file?): expected plain data`;
      return fail(aliasPosition(doc, text), reason);
    }
    return fail('', message.replace(/\s+/g, ' '));
  }
}

/**
 * Reads a task definition from a JSON or YAML file. Accepts the body of RegisterTaskDefinition and also
 * the output of `aws ecs describe-task-definition` (`{"taskDefinition": {...}}`), a common starting point.
 */
export async function loadTaskDefinitionFile(path: string): Promise<TaskDefinitionDoc> {
  let text: string;
  try {
    const { size } = await stat(path);
    // Before reading it: a file this large is no task definition, and parsing it would cost the runner.
    if (size > MAX_FILE_BYTES) {
      const mb = (size / 1024 / 1024).toFixed(1);
      throw new UserError(
        `Task definition file '${path}' is ${mb} MiB: expected a file under 1 MiB (ECS takes at most 64 KiB of task definition).`,
      );
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`Task definition file '${path}' does not exist.`);
    if (code === 'EISDIR') throw new UserError(`Task definition file '${path}' is a directory, not a file.`);
    throw new UserError(`Task definition file '${path}' cannot be read: ${errorMessage(err)}.`);
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new UserError(`Task definition file '${path}' is empty.`);

  let doc = parseText(path, text);
  if (isObject(doc) && !('containerDefinitions' in doc) && isObject(doc['taskDefinition'])) {
    // The dump's tags sit beside the task definition; they belong to RegisterTaskDefinition's `tags`.
    const tags = doc['tags'];
    doc = doc['taskDefinition'];
    if (isObject(doc) && Array.isArray(tags) && tags.length > 0 && !('tags' in doc)) doc = { ...doc, tags };
  }
  if (!isObject(doc)) {
    const kind = Array.isArray(doc) ? 'a list' : doc === null ? 'null' : `a ${typeof doc}`;
    throw new UserError(`Task definition file '${path}' holds ${kind}: expected an object.`);
  }
  const containers = doc['containerDefinitions'];
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new UserError(
      `Task definition file '${path}' has no 'containerDefinitions' list: expected at least one container.`,
    );
  }
  if (!containers.every(isObject)) {
    throw new UserError(
      `Task definition file '${path}': every entry of 'containerDefinitions' must be an object.`,
    );
  }
  return doc;
}

/** The revision a service (already described) runs, with its tags. */
export async function loadRunningTaskDefinition(
  ecs: ECSClient,
  service: Service,
  cluster: string,
): Promise<{ taskDefinition: TaskDefinitionDoc; arn: string; tags: Tag[] }> {
  const arn = service.taskDefinition;
  if (!arn) {
    throw new UserError(`Service '${service.serviceName}' in cluster '${cluster}' has no task definition.`);
  }
  const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
  if (!td.taskDefinition) throw new Error(`DescribeTaskDefinition returned no task definition for ${arn}.`);
  return { taskDefinition: { ...td.taskDefinition }, arn, tags: td.tags ?? [] };
}

/** A revision named by ARN, `family` or `family:revision`, with its tags (as RegisterTaskDefinition's `tags`). */
export async function loadTaskDefinitionReference(
  ecs: ECSClient,
  reference: string,
): Promise<{ taskDefinition: TaskDefinitionDoc; arn: string; tags: Tag[] }> {
  let td;
  try {
    td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
  } catch (err) {
    if (isNamed(err, 'ClientException') || isNamed(err, 'InvalidParameterException')) {
      throw new UserError(
        `Input 'task-definition' is '${reference}': ECS has no such task definition (${errorMessage(err)}).`,
      );
    }
    throw err;
  }
  const found = td.taskDefinition;
  if (!found?.taskDefinitionArn) throw new UserError(`Task definition '${reference}' was not found.`);
  return { taskDefinition: { ...found }, arn: found.taskDefinitionArn, tags: td.tags ?? [] };
}
