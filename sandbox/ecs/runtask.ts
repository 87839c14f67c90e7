import { AwsError, invalidParameter } from '../http.js';
import { arn, newTaskId, type Cluster, type ContainerState, type EcsState, type Task } from './model.js';
import { requireTaskDefinition } from './taskdefs.js';
import { advanceTask, type Clock, type Durations, type SchedulerPorts } from './tasks.js';
import { taskView } from './views.js';

/**
 * Standalone tasks (RunTask / StopTask): the same start-up as service tasks (provisioning, a real pull check,
 * running), then each container "runs its command" by a rule a test can steer from the task definition or
 * the override:
 *   - exit code: the first `exit N` in the container's command (entryPoint + command), else 0;
 *   - run time: the first `sleep N` in it (sandbox seconds), else 1.
 * The task stops when its first essential container exits; containers still running then get 143 (SIGTERM).
 */

type Body = Record<string, unknown>;

/** Standalone tasks have no service; the service scheduler never looks at them. */
const STANDALONE = '';

const SIGTERM_EXIT = 143;
const DEFAULT_RUN_SECONDS = 1;

interface Program {
  exitCode: number;
  runSeconds: number;
  essential: boolean;
}

/** Per standalone task: what each container does, by container name. */
const programs = new WeakMap<Task, Map<string, Program>>();

function asRecord(value: unknown): Body {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};
}

function words(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The sandbox's rule for what a command does. Exported for the sandbox's own tests and the README. */
export function programOf(command: string[]): { exitCode: number; runSeconds: number } {
  const text = command.join(' ');
  const exit = /\bexit\s+(\d{1,3})\b/.exec(text);
  const sleep = /\bsleep\s+(\d+(?:\.\d+)?)\b/.exec(text);
  return {
    exitCode: exit ? Number(exit[1]) % 256 : 0,
    runSeconds: sleep ? Number(sleep[1]) : DEFAULT_RUN_SECONDS,
  };
}

function overridesByName(body: Body, names: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const list = asRecord(body.overrides).containerOverrides;
  for (const raw of Array.isArray(list) ? list : []) {
    const o = asRecord(raw);
    const name = String(o.name ?? '');
    if (!names.has(name)) {
      throw invalidParameter(
        `Override for container named ${name} is not a container in the TaskDefinition.`,
      );
    }
    if (o.command !== undefined) out.set(name, words(o.command));
  }
  return out;
}

function launchTypeOf(body: Body): string {
  if (typeof body.launchType === 'string') return body.launchType;
  // A capacity provider strategy on Fargate capacity providers runs as FARGATE.
  const strategy = Array.isArray(body.capacityProviderStrategy) ? body.capacityProviderStrategy : [];
  const fargate = strategy.some((s) => String(asRecord(s).capacityProvider ?? '').startsWith('FARGATE'));
  return fargate ? 'FARGATE' : 'EC2';
}

export function runTask(state: EcsState, cluster: Cluster, body: Body, now: number): Body {
  const td = requireTaskDefinition(state, body.taskDefinition, 'TaskDefinition not found.');
  if (td.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive');
  const count = typeof body.count === 'number' ? body.count : 1;
  if (!Number.isInteger(count) || count < 1 || count > 10)
    throw invalidParameter('count must be between 1 and 10.');
  const launchType = launchTypeOf(body);
  if (launchType === 'FARGATE' && !td.compatibilities.includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  const awsvpc = asRecord(asRecord(body.networkConfiguration).awsvpcConfiguration);
  if (td.input.networkMode === 'awsvpc' && words(awsvpc.subnets).length === 0) {
    // What ECS answers; unlike CreateService, the sandbox checks it here because run-task must pass it on.
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  const defs = ((td.input.containerDefinitions as Body[] | undefined) ?? []).map(asRecord);
  const overrides = overridesByName(body, new Set(defs.map((d) => String(d.name))));
  const tasks: Body[] = [];
  for (let i = 0; i < count; i++) {
    const id = newTaskId();
    const containers: ContainerState[] = defs.map((d) => ({
      name: String(d.name),
      image: String(d.image),
      lastStatus: 'PENDING',
    }));
    const task: Task = {
      id,
      arn: arn(state.region, `task/${cluster.name}/${id}`),
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      serviceName: STANDALONE,
      taskDefinitionArn: td.arn,
      startedBy: typeof body.startedBy === 'string' ? body.startedBy : '',
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType,
      containers,
      createdAt: now,
      statusSince: now,
    };
    if (td.input.cpu !== undefined) task.cpu = String(td.input.cpu);
    if (td.input.memory !== undefined) task.memory = String(td.input.memory);
    const program = new Map<string, Program>();
    for (const d of defs) {
      const name = String(d.name);
      const command = overrides.get(name) ?? [...words(d.entryPoint), ...words(d.command)];
      program.set(name, { ...programOf(command), essential: d.essential !== false });
    }
    programs.set(task, program);
    state.tasks.set(task.arn, task);
    tasks.push(taskView(task));
  }
  return { tasks, failures: [] };
}

export function stopTask(state: EcsState, cluster: Cluster, body: Body, now: number): Task {
  const ref = typeof body.task === 'string' ? body.task : '';
  const taskArn = ref.startsWith('arn:') ? ref : arn(state.region, `task/${cluster.name}/${ref}`);
  const task = state.tasks.get(taskArn);
  if (!task || task.clusterArn !== cluster.arn) throw invalidParameter('The referenced task was not found.');
  if (task.desiredStatus === 'RUNNING') {
    task.desiredStatus = 'STOPPED';
    task.stoppingAt = now;
    task.stopCode = 'UserInitiated';
    task.stoppedReason =
      typeof body.reason === 'string' && body.reason !== '' ? body.reason : 'Task stopped by user';
    for (const c of task.containers) {
      if (c.lastStatus === 'RUNNING') {
        c.exitCode = SIGTERM_EXIT;
        c.lastStatus = 'STOPPED';
      }
    }
  }
  return task;
}

/** Ends a running task whose first essential container has finished its program. */
function finishIfDone(task: Task, clock: Clock): void {
  const program = programs.get(task);
  if (!program || task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING') return;
  const ranMs = clock.now - (task.startedAt ?? clock.now);
  const finished = (name: string) => ranMs >= clock.ms(program.get(name)?.runSeconds ?? DEFAULT_RUN_SECONDS);
  const done = task.containers.some((c) => program.get(c.name)?.essential && finished(c.name));
  if (!done) return;
  for (const c of task.containers) {
    c.exitCode = finished(c.name) ? (program.get(c.name)?.exitCode ?? 0) : SIGTERM_EXIT;
    c.lastStatus = 'STOPPED';
  }
  task.desiredStatus = 'STOPPED';
  task.stoppingAt = clock.now;
  task.stopCode = 'EssentialContainerExited';
  task.stoppedReason = 'Essential container in task exited';
  task.lastStatus = 'STOPPING';
  task.statusSince = clock.now;
}

/** One pass over the standalone tasks of a region (the server's ticker calls it next to the scheduler's). */
export function tickStandaloneTasks(
  state: EcsState,
  clock: Clock,
  d: Durations,
  ports: SchedulerPorts,
): void {
  for (const task of state.tasks.values()) {
    if (task.serviceName !== STANDALONE || task.lastStatus === 'STOPPED') continue;
    advanceTask(task, clock, d, ports);
    finishIfDone(task, clock);
  }
}
