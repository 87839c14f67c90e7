import { inputError, UserError } from '../errors.js';
import {
  matching,
  parseBoolean,
  parseChoice,
  parseJsonWords,
  parseList,
  parseNumber,
  required,
  type InputReader,
} from './parse.js';

/** Which service to update and how to watch it. */
export interface DeployInputs {
  cluster: string;
  /** The first of `services`: the one whose current revision is the base when no file is given; '' offline. */
  service: string;
  /** Every service to update with the same revision, in the order given; watched side by side. */
  services: string[];
  /** undefined = leave the services' desired count as it is. */
  desiredCount: number | undefined;
  forceNewDeployment: boolean;
  /** undefined = no one-off task before the update. */
  runTask: RunTaskInputs | undefined;
  /** 0 = keep every revision; N = deregister all but the newest N (and those in use) after success. */
  keepRevisions: number;
  wait: boolean;
  timeoutMinutes: number;
  pollSeconds: number;
  /** `auto`: return the service to its previous revision when the rollout fails; `false`: leave it. */
  rollback: 'auto' | 'false';
}

const CLUSTER_OR_SERVICE =
  /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(?:cluster|service)\/[\w/-]+|[A-Za-z0-9_-]{1,255})$/;

/**
 * `offlineAllowed`: a dry run, which may name no service at all (it then checks the task definition file
 * without AWS); `services` is empty then.
 */
export function readDeployInputs(read: InputReader, offlineAllowed = false): DeployInputs {
  const cluster = matching(
    'cluster',
    read('cluster').trim() || 'default',
    CLUSTER_OR_SERVICE,
    'a cluster name or ARN',
  );
  const services = offlineAllowed && read('service').trim() === '' ? [] : readServices(read);
  const service = services[0] ?? '';
  const wait = parseBoolean('wait', read('wait'), true);
  const timeoutMinutes = parseNumber('timeout-minutes', read('timeout-minutes'), 30, {
    min: 1,
    max: 360,
    unit: 'minutes',
  });
  // Fractions are allowed so tests against the sandbox can poll faster than once a second.
  const pollSeconds = parseNumber('poll-seconds', read('poll-seconds'), 2, {
    min: 0.1,
    max: 300,
    unit: 'seconds',
  });
  const rawCount = read('desired-count').trim();
  const desiredCount =
    rawCount === ''
      ? undefined
      : parseNumber('desired-count', rawCount, 0, { min: 0, max: 5000, unit: 'tasks', integer: true });
  const forceNewDeployment = parseBoolean('force-new-deployment', read('force-new-deployment'), false);
  const runTask = readRunTask(read);
  const keepRevisions = parseNumber('keep-revisions', read('keep-revisions'), 0, {
    min: 0,
    max: 1000,
    unit: 'revisions',
    integer: true,
  });
  return {
    cluster,
    service,
    services,
    wait,
    timeoutMinutes,
    pollSeconds,
    desiredCount,
    forceNewDeployment,
    runTask,
    keepRevisions,
    rollback: readRollback(read),
  };
}

/**
 * `auto` is ecs-ship's word; `true` is ECS's own (deploymentCircuitBreaker.rollback, alarms.rollback) and
 * means the same here, so a user who writes what the ECS docs say is not refused.
 */
function readRollback(read: InputReader): 'auto' | 'false' {
  const raw = read('rollback');
  const word = parseChoice('rollback', raw, ['auto', 'true', 'false'] as const, 'auto');
  return word === 'false' ? 'false' : 'auto';
}

// One DescribeServices call takes at most 10 services; more in one step is a job for a matrix.
const MAX_SERVICES = 10;

function readServices(read: InputReader): string[] {
  const what =
    'the ECS service to update (only a dry run may omit it, to check a task definition file offline)';
  const services = parseList(required(read, 'service', what));
  for (const s of services) matching('service', s, CLUSTER_OR_SERVICE, 'service names or ARNs');
  const names = services.map((s) => s.slice(s.lastIndexOf('/') + 1));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw inputError('service', twice, 'each service once');
  if (services.length > MAX_SERVICES) {
    throw inputError('service', services.join(', '), `at most ${MAX_SERVICES} services`);
  }
  return services;
}

/** A one-off task (migrations) run from the new revision before any service is updated. */
export interface RunTaskInputs {
  /** Command override for `container`; undefined = the task definition's own command. */
  command: string[] | undefined;
  /** Container the command override applies to; undefined = the one container that gets the image. */
  container: string | undefined;
  /** Empty = the first service's network configuration. */
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: 'ENABLED' | 'DISABLED' | undefined;
}

const RUN_TASK_EXPECTED =
  'true, false, or a command as a JSON array of strings, e.g. ["npm","run","migrate"]';

function readRunTask(read: InputReader): RunTaskInputs | undefined {
  const raw = read('run-task').trim();
  const container = read('run-task-container').trim();
  const subnets = parseList(read('run-task-subnets'));
  const securityGroups = parseList(read('run-task-security-groups'));
  const publicIp = read('run-task-assign-public-ip');
  let command: string[] | undefined;
  let enabled: boolean;
  if (raw.startsWith('[')) {
    command = parseJsonWords('run-task', raw, RUN_TASK_EXPECTED);
    enabled = true;
  } else {
    try {
      enabled = parseBoolean('run-task', raw, false);
    } catch {
      throw inputError('run-task', raw, RUN_TASK_EXPECTED);
    }
  }
  const extras: Array<[string, boolean]> = [
    ['run-task-container', container !== ''],
    ['run-task-subnets', subnets.length > 0],
    ['run-task-security-groups', securityGroups.length > 0],
    ['run-task-assign-public-ip', publicIp.trim() !== ''],
  ];
  const stray = extras.find(([, set]) => set && !enabled);
  if (stray) throw new UserError(`Input '${stray[0]}' is set, but 'run-task' is not: set run-task too.`);
  if (container !== '') {
    matching('run-task-container', container, /^[A-Za-z0-9_-]{1,255}$/, 'a container name');
  }
  for (const s of subnets)
    matching('run-task-subnets', s, /^subnet-[A-Za-z0-9]+$/, 'subnet ids (subnet-...)');
  for (const g of securityGroups) {
    matching('run-task-security-groups', g, /^sg-[A-Za-z0-9]+$/, 'security group ids (sg-...)');
  }
  const assignPublicIp =
    publicIp.trim() === ''
      ? undefined
      : parseChoice('run-task-assign-public-ip', publicIp, ['ENABLED', 'DISABLED'] as const, 'DISABLED');
  if (!enabled) return undefined;
  return {
    command,
    container: container === '' ? undefined : container,
    subnets,
    securityGroups,
    assignPublicIp,
  };
}
