import type { DeploymentConfiguration, ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeError } from '../errors.js';
import { parseRevision } from '../aws/arn.js';
import type { Logger } from '../report/log.js';
import type { DeployInputs } from '../inputs/deploy.js';
import type { StrategyInputs } from '../inputs/strategy.js';
import { deployWithCodeDeploy } from './codedeploy/deployment.js';
import type { RolloutState, RolloutTarget } from './rollout/verdict.js';
import { cleanupRevisions, type CleanupResult } from './revisions.js';
import { runOneOffTask, type ContainerInfo, type RunTaskResult } from './run-task.js';
import { rollBackIfNeeded } from './rollback.js';
import { deploymentConfigurationFor, describeStrategy, isCodeDeploy } from './strategy.js';
import { unchangedService } from './unchanged.js';
import { updateService, type StartedTarget } from './update.js';
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
  /** Once every service was updated or created, before the rollouts are watched (GitHub hears of it). */
  updated?: (services: UpdatedService[]) => Promise<void>;
}

/** How the services are deployed beyond the rolling default: strategy inputs and what the plan described. */
export interface StrategyContext {
  inputs: StrategyInputs | undefined;
  /** DescribeServices of each service, in the order of the `service` input. */
  described: Service[];
}

/** A CODE_DEPLOY service: a CodeDeploy deployment instead of UpdateService (codedeploy.ts). */
async function deployCodeDeployService(
  ecs: ECSClient,
  inputs: DeployInputs,
  described: Service,
  codeDeploy: NonNullable<StrategyInputs['codeDeploy']>,
  taskDefinitionArn: string,
  log: (line: string) => void,
): Promise<ServiceOutcome> {
  const service = described.serviceName ?? '';
  const rollout = await deployWithCodeDeploy({
    region: await ecs.config.region(),
    cluster: inputs.cluster,
    service: described,
    taskDefinitionArn,
    application: codeDeploy.application,
    deploymentGroup: codeDeploy.deploymentGroup,
    pollSeconds: inputs.pollSeconds,
    timeoutMinutes: inputs.timeoutMinutes,
    log,
    ecs,
    rollback: inputs.rollback,
  });
  const { state, success, reason, deploymentId } = rollout;
  return { service, state, success, reason, deploymentId, rollout };
}

/** A service after its update call: already decided (the call failed, or not watched), or to be watched. */
type Started =
  | { service: string; outcome: ServiceOutcome }
  | { service: string; target: StartedTarget }
  /** CodeDeploy creates and watches its deployment in one go. */
  | { service: string; later: () => Promise<ServiceOutcome> };

/** What a hook learns once every service was updated (or created), before any rollout is watched. */
export interface UpdatedService {
  service: string;
  deploymentId: string | undefined;
  serviceDeploymentArn: string | undefined;
}

/** A service the step creates instead of updating (a preview); deploy/preview.ts makes the call. */
type CreateService = (
  taskDefinitionArn: string,
  /** What the strategy inputs make of the template's configuration; undefined = the template's as it is. */
  deploymentConfiguration: DeploymentConfiguration | undefined,
) => Promise<StartedTarget>;

async function startService(
  ecs: ECSClient,
  inputs: DeployInputs,
  service: string,
  taskDefinitionArn: string,
  log: (line: string) => void,
  strategy: { inputs: StrategyInputs | undefined; described: Service | undefined; create?: CreateService },
): Promise<Started> {
  const { cluster, wait, desiredCount, forceNewDeployment } = inputs;
  const codeDeploy = strategy.inputs?.codeDeploy;
  const described = strategy.described;
  if (described && isCodeDeploy(described) && codeDeploy) {
    return {
      service,
      later: () => deployCodeDeployService(ecs, inputs, described, codeDeploy, taskDefinitionArn, log),
    };
  }
  const deploymentConfiguration = deploymentConfigurationFor(
    strategy.described?.deploymentConfiguration,
    strategy.inputs,
  );
  const unchanged = strategy.create
    ? undefined
    : unchangedService(described, taskDefinitionArn, {
        forceNewDeployment,
        desiredCount,
        deploymentConfiguration,
      });
  if (unchanged) {
    log(
      `Nothing to deploy to service ${service} in cluster ${cluster}: ${unchanged} and the task definition is unchanged; ` +
        'UpdateService not called (force-new-deployment: true starts a new deployment anyway)',
    );
    const reason = `nothing to deploy: ${unchanged}`;
    const outcome: ServiceOutcome = {
      service,
      state: 'SUCCESSFUL',
      success: true,
      reason,
      deploymentId: undefined,
      rollout: undefined,
      unchanged: true,
    };
    return { service, outcome };
  }
  let target: StartedTarget;
  try {
    target = strategy.create
      ? await strategy.create(taskDefinitionArn, deploymentConfiguration)
      : await updateService(ecs, {
          cluster,
          service,
          taskDefinitionArn,
          desiredCount,
          forceNewDeployment,
          deploymentConfiguration,
        });
  } catch (err) {
    const reason = describeError(err);
    log(`${strategy.create ? 'CreateService' : 'UpdateService'} failed: ${reason}`);
    const outcome: ServiceOutcome = {
      service,
      state: 'FAILED',
      success: false,
      reason,
      deploymentId: undefined,
      rollout: undefined,
    };
    return { service, outcome };
  }
  const count = desiredCount === undefined ? '' : `, desired count ${desiredCount}`;
  const forced = forceNewDeployment ? ', forced new deployment' : '';
  const how = deploymentConfiguration ? `, strategy ${describeStrategy(deploymentConfiguration)}` : '';
  const done = strategy.create ? 'Created' : 'Updated';
  log(
    `${done} service ${service} in cluster ${cluster}${strategy.create ? '' : `${count}${forced}${how}`}: deployment ${target.deploymentId ?? '(id not reported)'}`,
  );
  if (!wait) {
    const outcome: ServiceOutcome = {
      service,
      state: 'NOT_WAITED',
      success: true,
      reason: 'rollout not watched',
      deploymentId: target.deploymentId,
      rollout: undefined,
    };
    return { service, outcome };
  }
  return { service, target };
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
