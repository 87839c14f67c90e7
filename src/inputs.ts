import { inputError, UserError } from './errors.js';

/** Every input of action.yml, parsed and validated. Nothing else reads inputs. */
export interface Inputs {
  /** A local Docker image, e.g. `myapp:latest` or an image ID. */
  image: string;
  /** ECR repository name (no registry part). */
  repository: string;
  /** Tags to push; at least one. */
  tags: string[];
  /** Path to a JSON or YAML task definition; undefined means "the service's current revision". */
  taskDefinition: string | undefined;
  /** Containers that get the pushed image; empty means "the only container of the task definition". */
  containers: string[];
  cluster: string;
  service: string;
  wait: boolean;
  timeoutMinutes: number;
  pollSeconds: number;
  awsRegion: string;
}

/** Reads one raw input; `core.getInput` in the action, a table in tests. */
export type InputReader = (name: string) => string;

/**
 * How the runner passes inputs (what `core.getInput` reads). Read directly so that a step with a bad input
 * fails without loading @actions/core at all.
 */
const actionsReader: InputReader = (name) =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

// Docker's tag grammar and ECR's repository-name grammar.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const CLUSTER_OR_SERVICE =
  /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(?:cluster|service)\/[\w/-]+|[A-Za-z0-9_-]{1,255})$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

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
  range: { min: number; max: number; unit: string },
): number {
  const value = raw.trim();
  if (value === '') return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || n < range.min || n > range.max) {
    throw inputError(name, raw, `a number of ${range.unit} from ${range.min} to ${range.max}`);
  }
  return n;
}

function required(read: InputReader, name: string, what: string): string {
  const value = read(name).trim();
  if (value === '') throw new UserError(`Input '${name}' is required: ${what}.`);
  return value;
}

function matching(name: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw inputError(name, value, expected);
  return value;
}

export function readInputs(read: InputReader = actionsReader, env: NodeJS.ProcessEnv = process.env): Inputs {
  const image = required(read, 'image', 'the local Docker image to push, e.g. myapp:latest');
  if (/\s/.test(image)) throw inputError('image', image, 'a Docker image reference without spaces');

  const repository = matching(
    'repository',
    required(read, 'repository', 'the ECR repository name, e.g. my-app'),
    REPOSITORY,
    'an ECR repository name (lowercase letters, digits, . _ - and / separators)',
  );

  const tagsRaw = parseList(read('tags'));
  const tags = tagsRaw.length > 0 ? tagsRaw : env.GITHUB_SHA ? [env.GITHUB_SHA] : [];
  if (tags.length === 0) {
    throw new UserError("Input 'tags' is empty and GITHUB_SHA is not set: give at least one tag.");
  }
  for (const tag of tags) matching('tags', tag, TAG, 'Docker tags of letters, digits, . _ - (at most 128)');

  const taskDefinitionRaw = read('task-definition').trim();
  const containers = parseList(read('containers'));
  for (const name of containers) {
    matching('containers', name, /^[A-Za-z0-9_-]{1,255}$/, 'container names of letters, digits, _ and -');
  }

  const cluster = matching(
    'cluster',
    read('cluster').trim() || 'default',
    CLUSTER_OR_SERVICE,
    'a cluster name or ARN',
  );
  const service = matching(
    'service',
    required(read, 'service', 'the ECS service to update'),
    CLUSTER_OR_SERVICE,
    'a service name or ARN',
  );

  const wait = parseBoolean('wait', read('wait'), true);
  const timeoutMinutes = parseNumber('timeout-minutes', read('timeout-minutes'), 30, {
    min: 1,
    max: 360,
    unit: 'minutes',
  });
  // Fractions are allowed so tests against the sandbox can poll faster than once a second.
  const pollSeconds = parseNumber('poll-seconds', read('poll-seconds'), 5, {
    min: 0.1,
    max: 300,
    unit: 'seconds',
  });

  const regionRaw = read('aws-region').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  if (regionRaw === '') {
    throw new UserError("Input 'aws-region' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set.");
  }
  const awsRegion = matching('aws-region', regionRaw, REGION, 'an AWS region such as us-east-1');

  return {
    image,
    repository,
    tags,
    taskDefinition: taskDefinitionRaw === '' ? undefined : taskDefinitionRaw,
    containers,
    cluster,
    service,
    wait,
    timeoutMinutes,
    pollSeconds,
    awsRegion,
  };
}
