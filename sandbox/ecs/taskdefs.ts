import { AwsError } from '../http.js';
import { ACCOUNT_ID, arn, type EcsState, type Tag, type TaskDefinition } from './model.js';

function clientError(message: string): AwsError {
  return new AwsError('ClientException', message);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function parseTags(value: unknown): Tag[] {
  if (!Array.isArray(value)) return [];
  return value.map((t) => ({ key: String(asRecord(t).key ?? ''), value: String(asRecord(t).value ?? '') }));
}

/** ECS fills these in on every container; returning them keeps "describe then re-register" diffs honest. */
const CONTAINER_DEFAULTS: Record<string, unknown> = {
  cpu: 0,
  portMappings: [],
  essential: true,
  environment: [],
  mountPoints: [],
  volumesFrom: [],
  systemControls: [],
};

/**
 * ECS fills a port mapping: the protocol, and the host port — the container's own where the task has its
 * own network stack (awsvpc, host), 0 (dynamic) under bridge.
 */
function withPortDefaults(mapping: unknown, networkMode: unknown): unknown {
  const m = asRecord(mapping);
  if (typeof m.containerPort !== 'number') return mapping;
  const ownStack = networkMode === 'awsvpc' || networkMode === 'host';
  return { ...m, hostPort: m.hostPort ?? (ownStack ? m.containerPort : 0), protocol: m.protocol ?? 'tcp' };
}

/** The container agent capabilities a task definition needs, as ECS lists them in requiresAttributes. */
function requiredAttributes(input: Record<string, unknown>): { name: string }[] {
  const names = new Set<string>();
  const add = (...n: string[]) => n.forEach((x) => names.add(x));
  const defs = (input.containerDefinitions as unknown[]).map(asRecord);
  const execution = typeof input.executionRoleArn === 'string';
  if (input.networkMode === 'awsvpc') add('com.amazonaws.ecs.capability.task-eni');
  if (typeof input.taskRoleArn === 'string') add('com.amazonaws.ecs.capability.task-iam-role');
  for (const d of defs) {
    if (/\.dkr\.ecr\.[^/]+\.amazonaws\.com\//.test(String(d.image))) {
      add('com.amazonaws.ecs.capability.ecr-auth');
      if (execution) add('ecs.capability.execution-role-ecr-pull');
    }
    const driver = asRecord(d.logConfiguration).logDriver;
    if (typeof driver === 'string') {
      add(
        `com.amazonaws.ecs.capability.logging-driver.${driver}`,
        'com.amazonaws.ecs.capability.docker-remote-api.1.19',
      );
      if (driver === 'awslogs' && execution) add('ecs.capability.execution-role-awslogs');
    }
    if (d.healthCheck !== undefined) add('ecs.capability.container-health-check');
    if (Array.isArray(d.dependsOn) && d.dependsOn.length > 0) add('ecs.capability.container-ordering');
    if (Array.isArray(d.secrets) && d.secrets.length > 0) {
      const arns = d.secrets.map((x) => String(asRecord(x).valueFrom ?? ''));
      if (arns.some((a) => a.includes(':secretsmanager:')))
        add('ecs.capability.secrets.asm.environment-variables');
      if (arns.some((a) => !a.includes(':secretsmanager:')))
        add('ecs.capability.secrets.ssm.environment-variables');
    }
  }
  return [...names].sort().map((name) => ({ name }));
}

function validate(input: Record<string, unknown>): void {
  const family = input.family;
  if (typeof family !== 'string' || family === '') throw clientError('Family must not be null or empty.');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw clientError(
      'Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const defs = input.containerDefinitions;
  if (!Array.isArray(defs) || defs.length === 0) {
    throw clientError('Container definitions must not be null or empty.');
  }
  const names = new Set<string>();
  let essential = 0;
  for (const raw of defs) {
    const def = asRecord(raw);
    if (typeof def.name !== 'string' || def.name === '')
      throw clientError('Container.name should not be null or empty.');
    if (typeof def.image !== 'string' || def.image === '') {
      throw clientError('Container.image should not be null or empty.');
    }
    if (names.has(def.name)) throw clientError(`Duplicate container name found: ${def.name}.`);
    names.add(def.name);
    if (def.essential !== false) essential++;
  }
  if (essential === 0) throw clientError('Task definition does not have any essential container.');
  const compat = Array.isArray(input.requiresCompatibilities) ? input.requiresCompatibilities : [];
  if (compat.includes('FARGATE')) {
    if (input.networkMode !== 'awsvpc') throw clientError("Fargate only supports network mode 'awsvpc'.");
    if (input.cpu === undefined)
      throw clientError("Fargate requires that 'cpu' be defined at the task level.");
    if (input.memory === undefined)
      throw clientError("Fargate requires that 'memory' be defined at the task level.");
  }
}

export function registerTaskDefinition(
  state: EcsState,
  input: Record<string, unknown>,
  now: number,
): TaskDefinition {
  validate(input);
  const { tags, ...rest } = input;
  const family = rest.family as string;
  const containerDefinitions = (rest.containerDefinitions as unknown[]).map((d) => {
    const def = { ...CONTAINER_DEFAULTS, ...asRecord(d) };
    const ports = Array.isArray(def.portMappings) ? def.portMappings : [];
    return { ...def, portMappings: ports.map((p) => withPortDefaults(p, rest.networkMode)) };
  });
  const revisions = state.taskDefinitions.get(family) ?? [];
  const revision = revisions.length + 1;
  const compat = Array.isArray(rest.requiresCompatibilities) ? rest.requiresCompatibilities : [];
  const td: TaskDefinition = {
    family,
    revision,
    arn: arn(state.region, `task-definition/${family}:${revision}`),
    status: 'ACTIVE',
    input: { volumes: [], placementConstraints: [], ...rest, containerDefinitions },
    tags: parseTags(tags),
    compatibilities: compat.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: now,
    registeredBy: `arn:aws:iam::${ACCOUNT_ID}:user/sandbox`,
    requiresAttributes: requiredAttributes(rest),
  };
  revisions.push(td);
  state.taskDefinitions.set(family, revisions);
  return td;
}

/** Resolves `family`, `family:revision` or a full ARN; a bare family means its latest ACTIVE revision. */
export function findTaskDefinition(state: EcsState, ref: string): TaskDefinition | undefined {
  const m = /^(?:arn:aws:ecs:[^:]+:\d{12}:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(ref);
  if (!m) return undefined;
  const revisions = state.taskDefinitions.get(m[1] as string) ?? [];
  if (m[2] !== undefined) return revisions[Number(m[2]) - 1];
  return revisions.filter((td) => td.status === 'ACTIVE').at(-1);
}

export function requireTaskDefinition(state: EcsState, ref: unknown, message: string): TaskDefinition {
  const td = typeof ref === 'string' ? findTaskDefinition(state, ref) : undefined;
  if (!td) throw clientError(message);
  return td;
}

export function taskDefinitionView(td: TaskDefinition): Record<string, unknown> {
  return {
    taskDefinitionArn: td.arn,
    ...td.input,
    revision: td.revision,
    status: td.status,
    requiresAttributes: td.requiresAttributes,
    compatibilities: td.compatibilities,
    registeredAt: new Date(td.registeredAt),
    registeredBy: td.registeredBy,
    deregisteredAt: td.deregisteredAt === undefined ? undefined : new Date(td.deregisteredAt),
  };
}

export function listTaskDefinitions(state: EcsState, body: Record<string, unknown>): Record<string, unknown> {
  const prefix = typeof body.familyPrefix === 'string' ? body.familyPrefix : '';
  const status = body.status === 'INACTIVE' || body.status === 'DELETE_IN_PROGRESS' ? body.status : 'ACTIVE';
  const all: TaskDefinition[] = [];
  for (const [family, revisions] of [...state.taskDefinitions.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    // familyPrefix matches whole family names, despite its name (as ECS does).
    if (prefix !== '' && family !== prefix) continue;
    all.push(...revisions.filter((td) => td.status === status));
  }
  if (body.sort === 'DESC') all.reverse();
  return paginate(
    all.map((td) => td.arn),
    body,
    'taskDefinitionArns',
  );
}

/**
 * ListTaskDefinitionFamilies: a real prefix here (unlike ListTaskDefinitions'); by default (ALL) every family
 * with a revision not deleted, ACTIVE those with an ACTIVE revision, INACTIVE those with none.
 */
export function listTaskDefinitionFamilies(
  state: EcsState,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const prefix = typeof body.familyPrefix === 'string' ? body.familyPrefix : '';
  const status = body.status === 'ACTIVE' || body.status === 'INACTIVE' ? body.status : 'ALL';
  const families = [...state.taskDefinitions.entries()]
    .filter(([family]) => family.startsWith(prefix))
    .filter(([, revisions]) => {
      const live = revisions.filter((td) => td.status !== 'DELETE_IN_PROGRESS');
      const active = live.some((td) => td.status === 'ACTIVE');
      if (live.length === 0) return false;
      return status === 'ALL' || (status === 'ACTIVE') === active;
    })
    .map(([family]) => family)
    .sort((a, b) => a.localeCompare(b));
  return paginate(families, body, 'families');
}

export function paginate(
  items: string[],
  body: Record<string, unknown>,
  key: string,
): Record<string, unknown> {
  const start = typeof body.nextToken === 'string' ? Number(body.nextToken) || 0 : 0;
  const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : 100;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? String(start + max) : undefined;
  return { [key]: page, nextToken: next };
}

/**
 * DeleteTaskDefinitions: at most 10 a call; only INACTIVE revisions (ECS refuses ACTIVE ones per item). A
 * deleted revision is gone from every list and describe, as DELETE_IN_PROGRESS ones soon are on ECS.
 */
export function deleteTaskDefinitions(
  state: EcsState,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const refs = Array.isArray(body.taskDefinitions) ? body.taskDefinitions.map(String) : [];
  if (refs.length === 0 || refs.length > 10) {
    throw new AwsError('InvalidParameterException', 'taskDefinitions must list 1 to 10 task definitions.');
  }
  const taskDefinitions: Record<string, unknown>[] = [];
  const failures: Record<string, unknown>[] = [];
  for (const ref of refs) {
    const td = findTaskDefinition(state, ref);
    if (!td) {
      failures.push({ arn: ref, reason: 'The specified task definition does not exist.' });
      continue;
    }
    if (td.status === 'ACTIVE') {
      failures.push({ arn: td.arn, reason: 'The specified task definition is still in ACTIVE status.' });
      continue;
    }
    // Kept in its family's list (revision numbers count on from it), listed only as DELETE_IN_PROGRESS.
    td.status = 'DELETE_IN_PROGRESS';
    taskDefinitions.push(taskDefinitionView(td));
  }
  return { taskDefinitions, failures };
}
