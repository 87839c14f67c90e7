import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import { revisionName } from '../aws/arn.js';
import { realClock } from '../poll/clock.js';
import { sameTaskDefinition } from './rollout/identify.js';
import type { RolloutTarget } from './rollout/verdict.js';
import { watchRollout, type RolloutResult, type WatchOptions } from './rollout/watch.js';

/** `auto`: undo a failed rollout ECS did not undo itself; `false`: leave the service as the rollout left it. */
export type RollbackMode = 'auto' | 'false';

export interface RollbackOptions extends WatchOptions {
  mode: RollbackMode;
}

/**
 * The revision to go back to: the newest other deployment that once completed (what ran before), else the
 * newest other one. Pure.
 */
export function previousRevision(service: Service | undefined, target: RolloutTarget): string | undefined {
  const others = (service?.deployments ?? [])
    .filter((d) => !sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn))
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return (others.find((d) => d.rolloutState === 'COMPLETED') ?? others[0])?.taskDefinition;
}

/** When the old deployment is already gone from the service: the source revision of our service deployment. */
async function sourceRevision(ecs: ECSClient, serviceDeploymentArn: string): Promise<string | undefined> {
  const out = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }),
  );
  const arn = out.serviceDeployments?.[0]?.sourceServiceRevisions?.[0]?.arn;
  if (!arn) return undefined;
  const revs = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [arn] }));
  return revs.serviceRevisions?.[0]?.taskDefinition;
}

/**
 * Starts the return to `previous`: StopServiceDeployment(ROLLBACK) on our service deployment where ECS
 * offers it (ECS keeps the history straight: ROLLBACK_SUCCESSFUL), else UpdateService to `previous`.
 * Returns how, and the deployment id UpdateService started, if that was the way.
 */
async function startRollback(
  ecs: ECSClient,
  target: RolloutTarget,
  failed: RolloutResult,
  previous: string,
  log: (line: string) => void,
): Promise<{ via: string; deploymentId: string | undefined }> {
  if (failed.serviceDeploymentArn) {
    try {
      await ecs.send(
        new StopServiceDeploymentCommand({
          serviceDeploymentArn: failed.serviceDeploymentArn,
          stopType: 'ROLLBACK',
        }),
      );
      return { via: 'StopServiceDeployment (ROLLBACK)', deploymentId: undefined };
    } catch (err) {
      // Not offered here, not allowed (IAM), or the deployment is already over (the breaker stopped it):
      // UpdateService, which the step is allowed to call, does the same from the outside.
      log(
        `StopServiceDeployment was not possible (${describeAwsError(err)}); rolling back with UpdateService`,
      );
    }
  }
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition: previous }),
  );
  const primary = out.service?.deployments?.find(
    (d) => d.status === 'PRIMARY' && sameTaskDefinition(d.taskDefinition, previous),
  );
  return { via: 'UpdateService', deploymentId: primary?.id };
}

/**
 * Called after a watch that did not succeed. Undoes what ECS did not: with `auto`, a failed or timed-out
 * rollout ECS is not rolling back returns the service to the revision it ran before, and the watch goes on
 * until it is back (or that fails too); a rollback ECS already started is waited for. Returns the result
 * the outputs and the summary show: `ROLLED_BACK` with `rolledBackTo` when the service is back.
 */
export async function rollBackIfNeeded(
  ecs: ECSClient,
  target: RolloutTarget,
  failed: RolloutResult,
  opts: RollbackOptions,
): Promise<RolloutResult> {
  const { log } = opts;
  const clock = opts.clock ?? realClock;
  if (failed.success || failed.state === 'ROLLED_BACK' || !failed.rollback) return failed;
  if (opts.mode === 'false') {
    log(`rollback: false, so the service is left as the rollout left it`);
    return failed;
  }

  let service: Service | undefined;
  let previous: string | undefined;
  let via: string;
  let deploymentId: string | undefined;
  // ECS's rollback, and StopServiceDeployment's, happen on our own service deployment.
  let onOurs = failed.rollback === 'ecs';
  const startedAt = new Date(clock.now());
  try {
    service = (
      await ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))
    ).services?.[0];
    if (failed.rollback === 'ecs') {
      // ECS is already going back: its PRIMARY is the revision it chose. Wait for it, do not race it.
      previous = service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
      via = "ECS's own rollback";
    } else {
      // Only on a service seen just now: ecs-ship never writes on a state it did not see.
      if (!service) {
        log('rollback: ECS does not show the service; it is left as it is');
        return failed;
      }
      previous =
        previousRevision(service, target) ??
        (failed.serviceDeploymentArn ? await sourceRevision(ecs, failed.serviceDeploymentArn) : undefined);
      if (!previous) {
        log('rollback: no previous revision to return to; the service is left as it is');
        return failed;
      }
      log(`rolling back: returning ${target.service} to ${revisionName(previous)}`);
      ({ via, deploymentId } = await startRollback(ecs, target, failed, previous, log));
      onOurs = deploymentId === undefined && via !== 'UpdateService';
    }
  } catch (err) {
    const why =
      classifyAwsError(err) === 'denied' ? `access denied (${describeAwsError(err)})` : describeAwsError(err);
    log(`rollback could not start: ${why}`);
    return { ...failed, reason: `${failed.reason}. Rolling back could not start: ${why}` };
  }
  if (!previous || sameTaskDefinition(previous, target.taskDefinitionArn)) return failed;

  log(`waiting for ${target.service} to run ${revisionName(previous)} again (${via})`);
  const followed = onOurs && failed.serviceDeploymentArn;
  const back = await watchRollout(
    ecs,
    {
      cluster: target.cluster,
      service: target.service,
      taskDefinitionArn: previous,
      startedAt,
      deploymentId,
      rollbackOf: target.taskDefinitionArn,
      ...(followed ? { serviceDeploymentArn: followed, rollingBack: true } : {}),
    },
    opts,
  );
  const merged = {
    ...failed,
    durationMs: failed.durationMs + back.durationMs,
    timeline: [...failed.timeline, ...back.timeline],
  };
  if (!back.success) {
    return {
      ...merged,
      state: 'FAILED',
      reason: `${failed.reason}. Rolling back to ${revisionName(previous)} failed too: ${back.reason}`,
    };
  }
  const who = failed.rollback === 'ecs' ? 'ECS rolled' : `ecs-ship rolled (via ${via})`;
  return {
    ...merged,
    state: 'ROLLED_BACK',
    reason: `${failed.reason}. ${who} the service back to ${revisionName(previous)}`,
    rolledBackTo: previous,
  };
}
