import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { parseRevision } from '../aws/arn.js';
import type { Logger } from '../report/log.js';
import type { DeployInputs } from '../inputs/deploy.js';
import type { StrategyInputs } from '../inputs/strategy.js';
import type { RolloutState, RolloutTarget } from './rollout/verdict.js';
import { cleanupRevisions, type CleanupResult } from './revisions.js';
import { runOneOffTask, type ContainerInfo, type RunTaskResult } from './run-task.js';
import { rollBackIfNeeded } from './rollback.js';
import { startService, type AttachLoadBalancers, type CreateService, type Started } from './start.js';
import { watchRollout, type RolloutResult } from './rollout/watch.js';

/** How one service's update ended. */
export interface ServiceOutcome {
  service: string;
  state: RolloutState;
  success: boolean;
  reason: string;
  deploymentId: string | undefined;
  /** undefined = not watched (`wait: false`), nothing to deploy, or UpdateService itself failed. */
  rollout: RolloutResult | undefined;
  /** The service already ran this revision, settled: no UpdateService call was made (unchanged.ts). */
  unchanged?: boolean;
}

/** `NOT_STARTED`: the one-off task failed, so no service was touched. */
export type DeployState = RolloutState | 'NOT_STARTED';

export interface DeployOutcome {
  runTask: RunTaskResult | undefined;
  /** In the order of the `service` input; empty when the one-off task failed. */
  services: ServiceOutcome[];
  cleanup: CleanupResult | undefined;
  /** The worst of the services' states. */
  state: DeployState;
  success: boolean;
  /** The step's one error line when it failed. */
  failure: string | undefined;
}

/** The revision this step registered, and what the one-off task needs to know about it. */
export interface RegisteredRevision {
  arn: string;
  containers: ContainerInfo[];
  /** Where a `run-task` command override goes (checked in the plan). */
  runTaskContainer: string | undefined;
}

// Worst first: the output `rollout-state` is the worst state of all services.
const SEVERITY: DeployState[] = [
  'NOT_STARTED',
  'FAILED',
  'ROLLED_BACK',
  'TIMED_OUT',
  'SUCCESSFUL',
  'NOT_WAITED',
];

export function worstState(states: DeployState[]): DeployState {
  const ranked = [...states].sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b));
  return ranked[0] ?? 'NOT_WAITED';
}

/** The step's error line: as before for one service; for several, each failed service with its reason. */
export function failureSummary(services: ServiceOutcome[]): string | undefined {
  const failed = services.filter((s) => !s.success);
  if (failed.length === 0) return undefined;
  if (services.length === 1) return `Rollout ${failed[0]?.state}: ${failed[0]?.reason}`;
  const each = failed.map((s) => `${s.service} ${s.state}: ${s.reason}`).join('; ');
  return `Rollout failed on ${failed.length} of ${services.length} services: ${each}`;
}

/** After a failed watch: rollback.ts undoes what ECS did not (input `rollback`), and says so in the result. */
async function afterFailedWatch(
  ecs: ECSClient,
  target: RolloutTarget,
  rollout: RolloutResult,
  log: (line: string) => void,
  inputs: DeployInputs,
): Promise<RolloutResult> {
  const { rollback: mode, pollSeconds, timeoutMinutes } = inputs;
  return rollBackIfNeeded(ecs, target, rollout, { mode, pollSeconds, timeoutMinutes, log });
}

/** What the caller adds around the deploy: services to create, and a look once all were updated. */
export interface DeployHooks {
  /** By service name: create it (a preview) instead of updating it. */
  create?: Record<string, CreateService>;
  /** By service name: put it behind these target groups as it is updated (see AttachLoadBalancers). */
  attach?: Record<string, AttachLoadBalancers>;
  /** Once every service was updated or created, before the rollouts are watched (GitHub hears of it). */
  updated?: (services: UpdatedService[]) => Promise<void>;
}

/** How the services are deployed beyond the rolling default: strategy inputs and what the plan described. */
export interface StrategyContext {
  inputs: StrategyInputs | undefined;
  /** DescribeServices of each service, in the order of the `service` input. */
  described: Service[];
}

/** What a hook learns once every service was updated (or created), before any rollout is watched. */
export interface UpdatedService {
  service: string;
  deploymentId: string | undefined;
  serviceDeploymentArn: string | undefined;
}

async function watchStarted(
  ecs: ECSClient,
  inputs: DeployInputs,
  started: Started,
  log: (line: string) => void,
): Promise<ServiceOutcome> {
  if ('outcome' in started) return started.outcome;
  if ('later' in started) return started.later();
  const { target, service } = started;
  const { pollSeconds, timeoutMinutes } = inputs;
  let rollout = await watchRollout(ecs, target, { pollSeconds, timeoutMinutes, log });
  if (!rollout.success) rollout = await afterFailedWatch(ecs, target, rollout, log, inputs);
  return {
    service,
    state: rollout.state,
    success: rollout.success,
    reason: rollout.reason,
    deploymentId: rollout.deploymentId ?? target.deploymentId,
    rollout,
  };
}

/**
 * The one-off task (`run-task`), before any service is touched; undefined when none was asked for. Not in
 * a group, like the rollout: a migration is something people watch live.
 */
export async function runTaskStage(
  ecs: ECSClient,
  inputs: DeployInputs,
  revision: RegisteredRevision,
  log: Logger,
): Promise<RunTaskResult | undefined> {
  const { cluster, pollSeconds, timeoutMinutes } = inputs;
  if (!inputs.runTask) return undefined;
  return runOneOffTask(
    ecs,
    {
      cluster,
      service: inputs.service,
      taskDefinitionArn: revision.arn,
      runTask: inputs.runTask,
      container: revision.runTaskContainer,
      containers: revision.containers,
    },
    { pollSeconds, timeoutMinutes, log: log.info },
  );
}

/**
 * The deploy stage, after the one-off task (`runTask`; when it failed, no service is touched): every
 * service updated to the same revision and watched side by side, then revision cleanup once all
 * succeeded. Never throws for a failed rollout: the outcome says so, so the summary is still written.
 */
export async function deployStage(
  ecs: ECSClient,
  inputs: DeployInputs,
  revision: RegisteredRevision,
  log: Logger,
  strategy: StrategyContext = { inputs: undefined, described: [] },
  runTask?: RunTaskResult,
  hooks: DeployHooks = {},
): Promise<DeployOutcome> {
  const { cluster, services } = inputs;
  if (runTask && !runTask.success) {
    const failure = `${runTask.reason}. No service was updated.`;
    return { runTask, services: [], cleanup: undefined, state: 'NOT_STARTED', success: false, failure };
  }

  // One watcher per service, concurrently; with several, each line says which service it is about.
  const prefixed = (service: string) =>
    services.length > 1 ? (line: string) => log.info(`[${service}] ${line}`) : log.info;
  const started = await Promise.all(
    services.map((s, i) =>
      startService(ecs, inputs, s, revision.arn, prefixed(s), {
        inputs: strategy.inputs,
        described: strategy.described[i],
        ...(hooks.create?.[s] ? { create: hooks.create[s] } : {}),
        ...(hooks.attach?.[s] ? { attach: hooks.attach[s] } : {}),
      }),
    ),
  );
  await hooks.updated?.(
    started.map((s) => ({
      service: s.service,
      deploymentId: 'target' in s ? s.target.deploymentId : undefined,
      serviceDeploymentArn: 'target' in s ? s.target.currentServiceDeployment : undefined,
    })),
  );
  const outcomes = await Promise.all(started.map((s) => watchStarted(ecs, inputs, s, prefixed(s.service))));
  const failure = failureSummary(outcomes);
  const state = worstState(outcomes.map((o) => o.state));

  let cleanup: CleanupResult | undefined;
  if (inputs.keepRevisions > 0 && failure === undefined) {
    if (!inputs.wait) {
      log.info(
        `keep-revisions: skipped, the rollout was not watched (wait: false), so its success is unknown`,
      );
    } else {
      const family = parseRevision(revision.arn)?.family ?? '';
      cleanup = await log.group(`Clean up revisions of ${family}`, () =>
        cleanupRevisions(ecs, { cluster, family, keep: inputs.keepRevisions }, log.info),
      );
      for (const w of cleanup.warnings) log.warning(w);
    }
  }

  return { runTask, services: outcomes, cleanup, state, success: failure === undefined, failure };
}
