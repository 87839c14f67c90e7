import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  RunTaskCommand,
  type ECSClient,
  type NetworkConfiguration,
  type RunTaskCommandInput,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import type { RunTaskInputs } from '../inputs/deploy.js';
import { accessDenied, classifyAwsError, describeAwsError, oneLineMessage } from '../aws/errors.js';
import { revisionName } from '../aws/arn.js';
import { Poller, waitOptions, type Next, type PollOptions, type TimelineEntry } from '../poll/poller.js';
import { taskId } from './rollout/evidence.js';

/** A container of the task definition, as far as the one-off task cares. */
export interface ContainerInfo {
  name: string;
  essential: boolean;
}

export interface ContainerExit {
  container: string;
  essential: boolean;
  /** undefined = the container never ran (e.g. its image could not be pulled). */
  exitCode: number | undefined;
  reason: string | undefined;
}

export interface RunTaskResult {
  taskArn: string | undefined;
  success: boolean;
  /** One line: why it failed, or what succeeded. */
  reason: string;
  exits: ContainerExit[];
  durationMs: number;
  /** Every line printed, for the summary's timeline. */
  timeline: TimelineEntry[];
}

/**
 * The RunTask call: launch type (or capacity provider strategy) and network from the service, so the
 * one-off task runs where the service's tasks run; the inputs override the network piece by piece.
 */
export function runTaskRequest(args: {
  cluster: string;
  taskDefinitionArn: string;
  service: Service | undefined;
  runTask: RunTaskInputs;
  container: string | undefined;
}): RunTaskCommandInput {
  const { service, runTask } = args;
  const request: RunTaskCommandInput = {
    cluster: args.cluster,
    taskDefinition: args.taskDefinitionArn,
    count: 1,
    startedBy: 'ecs-ship',
  };
  if (service?.capacityProviderStrategy && service.capacityProviderStrategy.length > 0) {
    request.capacityProviderStrategy = service.capacityProviderStrategy;
  } else if (service?.launchType) {
    request.launchType = service.launchType;
  }
  if (service?.platformVersion) request.platformVersion = service.platformVersion;
  const network = networkFor(service?.networkConfiguration, runTask);
  if (network) request.networkConfiguration = network;
  if (args.container !== undefined && runTask.command !== undefined) {
    request.overrides = { containerOverrides: [{ name: args.container, command: runTask.command }] };
  }
  return request;
}

function networkFor(
  fromService: NetworkConfiguration | undefined,
  runTask: RunTaskInputs,
): NetworkConfiguration | undefined {
  const base = fromService?.awsvpcConfiguration;
  const subnets = runTask.subnets.length > 0 ? runTask.subnets : (base?.subnets ?? []);
  if (subnets.length === 0) return undefined;
  const securityGroups = runTask.securityGroups.length > 0 ? runTask.securityGroups : base?.securityGroups;
  const assignPublicIp = runTask.assignPublicIp ?? base?.assignPublicIp;
  return {
    awsvpcConfiguration: {
      subnets,
      ...(securityGroups && securityGroups.length > 0 ? { securityGroups } : {}),
      ...(assignPublicIp ? { assignPublicIp } : {}),
    },
  };
}

/**
 * The verdict on a STOPPED task: every essential container must have exited 0. A container without an
 * exit code never ran, which is a failure too (the reason says why, e.g. CannotPullContainerError).
 */
export function taskOutcome(
  task: Task,
  containers: ContainerInfo[],
): { success: boolean; reason: string; exits: ContainerExit[] } {
  const essential = new Map(containers.map((c) => [c.name, c.essential]));
  const exits: ContainerExit[] = (task.containers ?? []).map((c) => ({
    container: c.name ?? '?',
    essential: essential.get(c.name ?? '') ?? true,
    exitCode: c.exitCode,
    reason: c.reason,
  }));
  const id = taskId(task.taskArn);
  const bad = exits.filter((e) => e.essential && e.exitCode !== 0);
  if (exits.length === 0 || bad.length > 0) {
    const what = bad.map((e) =>
      e.exitCode === undefined
        ? `container '${e.container}' did not run${e.reason ? ` (${e.reason})` : ''}`
        : `container '${e.container}' exited with code ${e.exitCode}`,
    );
    const stopped = task.stoppedReason ? `; ECS: ${task.stoppedReason}` : '';
    return {
      success: false,
      reason: `One-off task ${id} failed: ${what.join(', ') || 'no containers reported'}${stopped}`,
      exits,
    };
  }
  const codes = exits.filter((e) => e.essential).map((e) => `${e.container} exited 0`);
  return { success: true, reason: `One-off task ${id} succeeded: ${codes.join(', ')}`, exits };
}

export type RunTaskOptions = PollOptions;

function refusal(err: unknown, what: string, action: string): Error {
  switch (classifyAwsError(err)) {
    case 'transient':
      return err instanceof Error ? err : new Error(oneLineMessage(err));
    case 'denied':
      return accessDenied(what, action, err);
    default: {
      const hint = /network configuration/i.test(oneLineMessage(err))
        ? " (set 'run-task-subnets', or give the service a network configuration)"
        : '';
      return new UserError(`ECS refused ${what}: ${describeAwsError(err)}${hint}`);
    }
  }
}

/**
 * Runs the registered revision once (migrations) and waits for it to stop. Reads the first service for its
 * launch type and network, and never writes to any service. Polls DescribeTasks, printing each status change.
 */
export async function runOneOffTask(
  ecs: ECSClient,
  args: {
    cluster: string;
    service: string;
    taskDefinitionArn: string;
    runTask: RunTaskInputs;
    container: string | undefined;
    containers: ContainerInfo[];
  },
  opts: RunTaskOptions,
): Promise<RunTaskResult> {
  const poller = new Poller(waitOptions(opts));
  const print = (text: string): void => poller.print(text);
  const { cluster } = args;
  let service: Service | undefined;
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [args.service] }));
    service = out.services?.[0];
  } catch (err) {
    throw refusal(err, `reading service '${args.service}'`, 'ecs:DescribeServices');
  }
  const request = runTaskRequest({ ...args, service });
  const rev = revisionName(args.taskDefinitionArn);
  const how = request.launchType ?? (request.capacityProviderStrategy ? 'capacity providers' : 'default');
  const cmd = request.overrides
    ? ` with command ${JSON.stringify(args.runTask.command)} in ${args.container}`
    : '';
  print(`Running a one-off task of ${rev} in cluster ${cluster} (launch type ${how})${cmd}`);

  let taskArn: string | undefined;
  try {
    const out = await ecs.send(new RunTaskCommand(request));
    const failure = out.failures?.[0];
    taskArn = out.tasks?.[0]?.taskArn;
    if (!taskArn) {
      const why = failure
        ? `${failure.reason ?? 'unknown'}${failure.detail ? `: ${failure.detail}` : ''}`
        : '';
      throw new UserError(`ECS did not start the one-off task of ${rev}: ${why || 'no task returned'}`);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw refusal(err, `running a one-off task of ${rev}`, 'ecs:RunTask (and iam:PassRole)');
  }
  const id = taskId(taskArn);
  print(`one-off task ${id} started`);

  let lastStatus: string | undefined;
  const waitingFor = (): string => `one-off task ${id}: ${lastStatus ?? 'no status yet'}`;
  const waited = await poller.until(async (): Promise<Next<RunTaskResult>> => {
    let task: Task | undefined;
    try {
      const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
      task = out.tasks?.[0];
    } catch (err) {
      // Throttling and 5xx: the next poll asks again; anything else ends the wait.
      if (classifyAwsError(err) !== 'transient') {
        throw refusal(err, `describing one-off task ${id}`, 'ecs:DescribeTasks');
      }
    }
    if (task?.lastStatus) {
      lastStatus = task.lastStatus;
      poller.show([{ key: 'status', text: `one-off task ${id}: ${lastStatus}` }]);
    }
    if (task?.lastStatus !== 'STOPPED') return 'wait';
    const verdict = taskOutcome(task, args.containers);
    for (const e of verdict.exits) {
      const code =
        e.exitCode === undefined
          ? `did not run${e.reason ? `: ${e.reason}` : ''}`
          : `exit code ${e.exitCode}`;
      print(`  ${e.container}${e.essential ? '' : ' (not essential)'}: ${code}`);
    }
    print(verdict.reason);
    return { done: { taskArn, ...verdict, durationMs: poller.elapsedMs(), timeline: poller.timeline } };
  }, waitingFor);
  if (!waited.timedOut) return waited.value;
  // Not stopped on purpose: killing a migration halfway is worse than leaving it to a person.
  const reason =
    `Timed out after ${opts.timeoutMinutes} min waiting for one-off task ${id} ` +
    `(last status ${lastStatus ?? 'unknown'}); it was not stopped and may still be running`;
  print(reason);
  return {
    taskArn,
    success: false,
    reason,
    exits: [],
    durationMs: poller.elapsedMs(),
    timeline: poller.timeline,
  };
}
