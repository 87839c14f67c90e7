import { imageReferenceError } from './image-source.js';
import { inputError, UserError } from '../errors.js';
import { splitShellWords } from './shell.js';
import { matching, parseBoolean, parseJsonWords, parseList, type InputReader } from './parse.js';

/** Ordered `KEY=value` settings and the keys to remove (`-KEY` lines). */
export interface KeyedChanges {
  set: Array<[string, string]>;
  remove: string[];
}

/** What the per-step inputs change; container-level changes apply to every container of `containers`. */
export interface ContainerChanges {
  environment: KeyedChanges;
  secrets: KeyedChanges;
  dockerLabels: KeyedChanges;
  logOptions: KeyedChanges;
  command: string[] | undefined;
  envFiles: string[];
  cpu: string | undefined;
  memory: string | undefined;
  taskRoleArn: string | undefined;
  executionRoleArn: string | undefined;
}

/** Where the task definition comes from and what changes in it. */
export interface TaskDefinitionInputs {
  /** A file path, an ARN, `family` or `family:revision`; undefined means "the service's current revision". */
  source: string | undefined;
  /** Containers to change; empty means "the only container of the task definition". */
  containers: string[];
  /** Containers given as `name=IMAGE`: their own image instead of the pushed one. */
  images: Record<string, string>;
  changes: ContainerChanges;
  /** Unknown keys warn instead of failing. */
  allowUnknownKeys: boolean;
  /** Stop before the first write, after rendering and the diff. */
  dryRun: boolean;
}

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const KEY = /^[^\s=]+$/;
const S3_ARN = /^arn:aws[a-z-]*:s3:::[^/\s]+\/\S+$/;
const ROLE = /^(?:arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+|[\w+=,.@-]{1,64})$/;

/** True when some container takes the pushed image, i.e. the image inputs are needed at all. */
export function pushesImage(inputs: Pick<TaskDefinitionInputs, 'containers' | 'images'>): boolean {
  return inputs.containers.length === 0 || inputs.containers.some((name) => !(name in inputs.images));
}

function lines(raw: string): string[] {
  return raw
    .split('\n')
    .map((line) => line.replace(/\r$/, '').trimStart())
    .filter((line) => line.trim() !== '');
}

/**
 * `KEY=value` lines, split at the first `=` so values keep theirs; `KEY=` is a deliberate empty value and
 * `-KEY` removes the key. Values are taken exactly as written after the `=`.
 */
export function parseKeyedChanges(input: string, raw: string, what: string): KeyedChanges {
  const out: KeyedChanges = { set: [], remove: [] };
  const seen = new Set<string>();
  for (const line of lines(raw)) {
    const removal = line.startsWith('-') && !line.includes('=');
    const at = line.indexOf('=');
    const key = removal ? line.slice(1).trim() : at < 0 ? '' : line.slice(0, at).trim();
    if (!KEY.test(key)) {
      throw inputError(input, line, `${what} lines of KEY=value, or -KEY to remove a key`);
    }
    if (seen.has(key)) throw new UserError(`Input '${input}' names '${key}' more than once.`);
    seen.add(key);
    if (removal) out.remove.push(key);
    else out.set.push([key, line.slice(at + 1)]);
  }
  return out;
}

/** A JSON array of strings, or a command line split as a shell would (nothing expanded). */
export function parseCommand(raw: string): string[] | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const expected = 'a JSON array of strings, or a command line with shell quoting';
  if (text.startsWith('[')) return parseJsonWords('command', text, expected);
  try {
    return splitShellWords(text);
  } catch (err) {
    throw inputError('command', text, `${expected} (${(err as Error).message})`);
  }
}

function optional(read: InputReader, name: string, pattern: RegExp, expected: string): string | undefined {
  const value = read(name).trim();
  return value === '' ? undefined : matching(name, value, pattern, expected);
}

function readContainers(raw: string): { containers: string[]; images: Record<string, string> } {
  const containers: string[] = [];
  // No prototype: a container may well be called `constructor`, which must not find Object's.
  const images: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of parseList(raw)) {
    const at = line.indexOf('=');
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    matching('containers', name, NAME, 'container names of letters, digits, _ and -, each optionally =IMAGE');
    const seen = containers.includes(name);
    // Two images for one container: one would silently win. A bare name repeated means the same thing.
    if (seen && (at >= 0 || Object.hasOwn(images, name))) {
      throw new UserError(
        `Input 'containers' names '${name}' more than once, with an image: give it one line.`,
      );
    }
    if (at >= 0) {
      const image = line.slice(at + 1).trim();
      if (image === '' || /\s/.test(image)) {
        throw inputError('containers', line, 'name=IMAGE with an image reference without spaces');
      }
      const wrong = imageReferenceError(image);
      if (wrong) throw inputError('containers', line, `name=IMAGE with ${wrong}`);
      images[name] = image;
    }
    if (!seen) containers.push(name);
  }
  return { containers, images };
}

export function readTaskDefinitionInputs(read: InputReader): TaskDefinitionInputs {
  const source = read('task-definition').trim();
  const { containers, images } = readContainers(read('containers'));
  const changes: ContainerChanges = {
    environment: parseKeyedChanges('environment-variables', read('environment-variables'), 'NAME=value'),
    secrets: parseKeyedChanges('secrets', read('secrets'), 'NAME=valueFrom (a Secrets Manager or SSM ARN)'),
    dockerLabels: parseKeyedChanges('docker-labels', read('docker-labels'), 'LABEL=value'),
    logOptions: parseKeyedChanges(
      'log-configuration-options',
      read('log-configuration-options'),
      'OPTION=value',
    ),
    command: parseCommand(read('command')),
    envFiles: lines(read('env-files')).map((line) =>
      matching(
        'env-files',
        line.trim(),
        S3_ARN,
        'S3 object ARNs (arn:aws:s3:::bucket/key.env), one per line',
      ),
    ),
    cpu: optional(read, 'cpu', /^(?:\d+|\d+(?:\.\d+)? ?vCPU)$/i, 'CPU units such as 256, or 0.5 vCPU'),
    memory: optional(read, 'memory', /^(?:\d+|\d+(?:\.\d+)? ?GB)$/i, 'MiB such as 512, or 1 GB'),
    taskRoleArn: optional(read, 'task-role-arn', ROLE, 'an IAM role ARN or role name'),
    executionRoleArn: optional(read, 'execution-role-arn', ROLE, 'an IAM role ARN or role name'),
  };
  const allowUnknownKeys = parseBoolean('allow-unknown-keys', read('allow-unknown-keys'), false);
  const dryRun = parseBoolean('dry-run', read('dry-run'), false);
  return {
    source: source === '' ? undefined : source,
    containers,
    images,
    changes,
    allowUnknownKeys,
    dryRun,
  };
}
