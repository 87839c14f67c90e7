import * as core from '@actions/core';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { failureLine } from '../report/failure.js';
import type { DeployInputs } from '../inputs/deploy.js';
import type { StrategyInputs } from '../inputs/strategy.js';
import { deployWithCodeDeploy } from './codedeploy/deployment.js';
import type { RolloutState, RolloutTarget } from './rollout/judge.js';
import { cleanupRevisions, parseRevision, type CleanupResult } from './revisions.js';
import { runOneOffTask, type ContainerInfo, type RunTaskResult } from './run-task.js';
import { rollBackIfNeeded } from './rollback.js';
import { deploymentConfigurationFor, describeStrategy, isCodeDeploy } from './strategy.js';
import { updateService } from './update.js';
import { watchRollout, type RolloutResult } from './rollout/watch.js';

/** How one service's update ended. */
export interface ServiceOutcome {
  service: string;
  state: RolloutState;
  success: boolean;
  reason: string;
  deploymentId: string | undefined;
  /** undefined = not watched (`wait: false`), or UpdateService itself failed. */
  rollout: RolloutResult | undefined;
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

/** What the `rollouts` output holds: one object per service, for later steps to read with fromJSON. */
function rolloutsJson(services: ServiceOutcome[]): string {
  return JSON.stringify(
    services.map((s) => ({
      service: s.service,
      state: s.state,
      reason: s.reason,
      deploymentId: s.deploymentId ?? null,
      serviceDeploymentArn: s.rollout?.serviceDeploymentArn ?? null,
      durationMs: s.rollout?.durationMs ?? null,
    })),
  );
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

async function deployService(
  ecs: ECSClient,
  inputs: DeployInputs,
  service: string,
  taskDefinitionArn: string,
  log: (line: string) => void,
  strategy: { inputs: StrategyInputs | undefined; described: Service | undefined },
): Promise<ServiceOutcome> {
  const { cluster, wait, pollSeconds, timeoutMinutes, desiredCount, forceNewDeployment } = inputs;
  const codeDeploy = strategy.inputs?.codeDeploy;
  if (strategy.described && isCodeDeploy(strategy.described) && codeDeploy) {
    return deployCodeDeployService(ecs, inputs, strategy.described, codeDeploy, taskDefinitionArn, log);
  }
  const deploymentConfiguration = deploymentConfigurationFor(
    strategy.described?.deploymentConfiguration,
    strategy.inputs,
  );
  let target: RolloutTarget;
  try {
    target = await updateService(ecs, {
      cluster,
      service,
      taskDefinitionArn,
      desiredCount,
      forceNewDeployment,
      deploymentConfiguration,
    });
  } catch (err) {
    const reason = failureLine(err);
    log(`UpdateService failed: ${reason}`);
    return { service, state: 'FAILED', success: false, reason, deploymentId: undefined, rollout: undefined };
  }
  const count = desiredCount === undefined ? '' : `, desired count ${desiredCount}`;
  const forced = forceNewDeployment ? ', forced new deployment' : '';
  const how = deploymentConfiguration ? `, strategy ${describeStrategy(deploymentConfiguration)}` : '';
  log(
    `Updated service ${service} in cluster ${cluster}${count}${forced}${how}: deployment ${target.deploymentId ?? '(id not reported)'}`,
  );
  if (!wait) {
    return {
      service,
      state: 'NOT_WAITED',
      success: true,
      reason: 'rollout not watched',
      deploymentId: target.deploymentId,
      rollout: undefined,
    };
  }
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

function setDeployOutputs(outcome: DeployOutcome): void {
  core.setOutput('deployment-id', outcome.services[0]?.deploymentId ?? '');
  core.setOutput('rollout-state', outcome.state);
  const rolledBack = outcome.services.map((s) => s.rollout?.rolledBackTo).filter((arn) => arn !== undefined);
  core.setOutput('rolled-back-to', rolledBack.join('\n'));
  core.setOutput('rollouts', rolloutsJson(outcome.services));
}

/**
 * The deploy stage: the one-off task (if asked; a failure ends the step before any service is touched),
 * then every service updated to the same revision and watched side by side, then revision cleanup once all
 * succeeded. Never throws for a failed rollout: the outcome says so, so the summary is still written.
 */
export async function deployStage(
  ecs: ECSClient,
  inputs: DeployInputs,
  revision: RegisteredRevision,
  log: (line: string) => void,
  strategy: StrategyContext = { inputs: undefined, described: [] },
): Promise<DeployOutcome> {
  const { cluster, services, pollSeconds, timeoutMinutes } = inputs;
  let runTask: RunTaskResult | undefined;
  if (inputs.runTask) {
    // Not in a group, like the rollout: a migration is something people watch live.
    runTask = await runOneOffTask(
      ecs,
      {
        cluster,
        service: inputs.service,
        taskDefinitionArn: revision.arn,
        runTask: inputs.runTask,
        container: revision.runTaskContainer,
        containers: revision.containers,
      },
      { pollSeconds, timeoutMinutes, log },
    );
    core.setOutput('run-task-arn', runTask.taskArn ?? '');
    const failed = runTask.exits.find((e) => e.essential && e.exitCode !== 0);
    const code = failed ? failed.exitCode : runTask.success ? 0 : undefined;
    core.setOutput('run-task-exit-code', code === undefined ? '' : String(code));
    if (!runTask.success) {
      const outcome: DeployOutcome = {
        runTask,
        services: [],
        cleanup: undefined,
        state: 'NOT_STARTED',
        success: false,
        failure: `${runTask.reason}. No service was updated.`,
      };
      setDeployOutputs(outcome);
      return outcome;
    }
  }

  // One watcher per service, concurrently; with several, each line says which service it is about.
  const prefixed = (service: string) =>
    services.length > 1 ? (line: string) => log(`[${service}] ${line}`) : log;
  const outcomes = await Promise.all(
    services.map((s, i) =>
      deployService(ecs, inputs, s, revision.arn, prefixed(s), {
        inputs: strategy.inputs,
        described: strategy.described[i],
      }),
    ),
  );
  const failure = failureSummary(outcomes);
  const state = worstState(outcomes.map((o) => o.state));

  let cleanup: CleanupResult | undefined;
  if (inputs.keepRevisions > 0 && failure === undefined) {
    if (!inputs.wait) {
      log(`keep-revisions: skipped, the rollout was not watched (wait: false), so its success is unknown`);
    } else {
      const family = parseRevision(revision.arn)?.family ?? '';
      cleanup = await core.group(`Clean up revisions of ${family}`, () =>
        cleanupRevisions(ecs, { cluster, family, keep: inputs.keepRevisions }, log),
      );
      for (const w of cleanup.warnings) core.warning(w);
      core.setOutput('deregistered-task-definitions', cleanup.deregistered.join('\n'));
    }
  }

  const outcome: DeployOutcome = {
    runTask,
    services: outcomes,
    cleanup,
    state,
    success: failure === undefined,
    failure,
  };
  setDeployOutputs(outcome);
  return outcome;
}
