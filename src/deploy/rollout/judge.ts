import { conclusiveFailure } from './evidence.js';
import {
  currentRevision,
  ourDeployment,
  primaryDeployment,
  revisionName,
  sameTaskDefinition,
} from './identify.js';
import { judgeServiceDeployment } from './judge-service-deployment.js';
import {
  failed,
  lastFailure,
  NOT_DONE,
  succeeded,
  withReason,
  type Snapshot,
  type RolloutTarget,
  type Verdict,
} from './verdict.js';

// Most of src/deploy (and its tests) imports a rollout's vocabulary from here, where it used to live.
export { pullFailure, taskId } from './evidence.js';
export { revisionName, sameTaskDefinition } from './identify.js';
export type { RolloutState, RolloutTarget, Snapshot, Verdict } from './verdict.js';

/**
 * ECS's verdict on our rollout, from one snapshot. Pure: no clock, no I/O. It never infers success
 * from counts alone while ECS still reports the rollout in progress, and it treats "the service no
 * longer runs our revision" as failure, which is what a circuit-breaker rollback looks like.
 */
export function judge(snapshot: Snapshot, target: RolloutTarget): Verdict {
  const { service, serviceDeployment } = snapshot;
  const where = `${target.service} in cluster ${target.cluster}`;
  if (!service) return failed(`Service ${where} no longer exists`);
  if (service.status === 'INACTIVE' || service.status === 'DRAINING') {
    return failed(`Service ${where} is ${service.status}: it was deleted during the rollout`);
  }

  if (serviceDeployment) {
    const verdict = judgeServiceDeployment(serviceDeployment, snapshot, target);
    if (verdict.done) return verdict;
  }

  const ours = ourDeployment(service, target);
  const name = revisionName(target.taskDefinitionArn);
  if (ours?.rolloutState === 'FAILED') {
    const backOn = currentRevision(service, target);
    const text = `The deployment of ${name} failed${backOn ? `; ECS rolled the service back to ${backOn}` : ''}`;
    const primary = primaryDeployment(service);
    const rolledBack = backOn !== undefined && primary?.rolloutState === 'COMPLETED';
    const reason = withReason(text, ours.rolloutStateReason) + lastFailure(snapshot.stoppedTasks);
    if (rolledBack) return { ...failed(reason, 'ROLLED_BACK'), rolledBackTo: primary.taskDefinition ?? '' };
    return failed(reason, 'FAILED', backOn ? 'ecs' : 'ours');
  }

  const primary = primaryDeployment(service);
  if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
    return failed(
      `The service's PRIMARY deployment runs ${revisionName(primary.taskDefinition)}, not ${name}: ` +
        'someone else deployed, or ECS rolled back',
    );
  }

  const evidence = conclusiveFailure(
    service,
    snapshot.stoppedTasks,
    target.startedAt,
    serviceDeployment?.deploymentCircuitBreaker?.status,
  );
  if (evidence) return failed(evidence, 'FAILED', 'ours');

  // Without the service-deployment API, the classic rule: ours is PRIMARY, COMPLETED, at full
  // count, and nothing else is still draining.
  if (!serviceDeployment && ours && ours === primary && service.deployments?.length === 1) {
    const rolloutDone = ours.rolloutState === 'COMPLETED';
    // A service behind a Classic Load Balancer never gets a rolloutState; counts are all ECS gives.
    const noRolloutState = ours.rolloutState === undefined;
    const full = ours.runningCount === ours.desiredCount && (ours.pendingCount ?? 0) === 0;
    if ((rolloutDone || noRolloutState) && full) {
      return succeeded(
        `${name} is the only deployment, ${rolloutDone ? 'COMPLETED, ' : ''}running ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}`,
      );
    }
  }
  return NOT_DONE;
}

/** Why we are still waiting, for the timeout message: what a person would look at next. */
export function describePending(snapshot: Snapshot, target: RolloutTarget): string {
  const parts: string[] = [];
  const sd = snapshot.serviceDeployment;
  if (sd?.status) {
    parts.push(`service deployment ${sd.status}${sd.lifecycleStage ? ` (stage ${sd.lifecycleStage})` : ''}`);
  }
  const ours = ourDeployment(snapshot.service, target);
  if (ours) {
    const state = ours.rolloutState ?? ours.status;
    parts.push(
      `${revisionName(ours.taskDefinition)}${state ? ` ${state}` : ''} running ` +
        `${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}, pending ${ours.pendingCount ?? 0}, failed ${ours.failedTasks ?? 0}`,
    );
  } else if (snapshot.service) {
    parts.push(`no deployment of ${revisionName(target.taskDefinitionArn)} seen yet`);
  }
  const others = (snapshot.service?.deployments ?? []).filter((d) => d !== ours);
  if (others.length > 0) {
    parts.push(
      `${others.length} other deployment(s) still active (${others.map((d) => revisionName(d.taskDefinition)).join(', ')})`,
    );
  }
  const lastStopped = snapshot.stoppedTasks[snapshot.stoppedTasks.length - 1];
  if (lastStopped?.stoppedReason) parts.push(`last stopped task: ${lastStopped.stoppedReason}`);
  return parts.length > 0 ? parts.join('; ') : 'no state reported by ECS';
}
