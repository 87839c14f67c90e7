import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { revisionName } from '../../aws/arn.js';
import { currentRevision, primaryDeployment } from './identify.js';
import {
  failed,
  lastFailure,
  NOT_DONE,
  succeeded,
  withReason,
  type RolloutTarget,
  type Snapshot,
  type Verdict,
} from './verdict.js';

function circuitBreakerNote(sd: ServiceDeployment): string {
  const cb = sd.deploymentCircuitBreaker;
  const alarms = sd.alarms?.triggeredAlarmNames ?? [];
  const notes: string[] = [];
  if (cb?.status === 'TRIGGERED') {
    notes.push(
      `circuit breaker triggered after ${cb.failureCount ?? '?'} failed tasks (threshold ${cb.threshold ?? '?'})`,
    );
  }
  if (alarms.length > 0) notes.push(`alarms in ALARM: ${alarms.join(', ')}`);
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/** A rollback ECS runs on the failed rollout's own service deployment, seen from the revision it returns to. */
function judgeRollback(sd: ServiceDeployment, target: RolloutTarget): Verdict {
  const back = revisionName(target.taskDefinitionArn);
  switch (sd.status) {
    case 'ROLLBACK_SUCCESSFUL':
      return succeeded(`the service is back on ${back}`);
    case 'ROLLBACK_FAILED':
    case 'STOPPED':
      return failed(withReason(`The rollback to ${back} ended ${sd.status}`, sd.statusReason));
    default:
      return NOT_DONE;
  }
}

/**
 * The verdict of our service deployment's status. judge.ts asks it first and falls back on the service's
 * deployments only while it says nothing final, or when the service-deployment API is not available.
 */
export function judgeServiceDeployment(
  sd: ServiceDeployment,
  snapshot: Snapshot,
  target: RolloutTarget,
): Verdict {
  if (target.rollingBack) return judgeRollback(sd, target);
  const status: string | undefined = sd.status;
  const note = circuitBreakerNote(sd);
  const backOn = currentRevision(snapshot.service, target);
  const ours = revisionName(target.taskDefinitionArn);
  switch (status) {
    case 'SUCCESSFUL': {
      if (backOn) {
        return failed(
          `The deployment of ${ours} finished, but the service now runs ${backOn}: someone else deployed`,
        );
      }
      return succeeded(`ECS reports the deployment of ${ours} SUCCESSFUL`);
    }
    case 'ROLLBACK_SUCCESSFUL': {
      const verdict = failed(
        withReason(
          `ECS rolled back the deployment of ${ours}; the service is back on ${backOn ?? 'the previous revision'}${note}`,
          sd.statusReason,
        ) + lastFailure(snapshot.stoppedTasks),
        'ROLLED_BACK',
      );
      const primary = primaryDeployment(snapshot.service)?.taskDefinition;
      return backOn && primary ? { ...verdict, rolledBackTo: primary } : verdict;
    }
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return failed(
        withReason(
          `ECS is rolling back the deployment of ${ours}${backOn ? ` to ${backOn}` : ''}${note}`,
          sd.statusReason,
        ) + lastFailure(snapshot.stoppedTasks),
        'FAILED',
        'ecs',
      );
    case 'ROLLBACK_FAILED':
      return failed(
        withReason(`The deployment of ${ours} failed and so did ECS's rollback${note}`, sd.statusReason),
      );
    case 'STOPPED':
    case 'STOP_REQUESTED':
      // Stopped by the breaker (ours to undo) or superseded by a newer deployment (someone else's now).
      return failed(
        withReason(`The deployment of ${ours} was stopped (${status})${note}`, sd.statusReason) +
          lastFailure(snapshot.stoppedTasks),
        'FAILED',
        backOn ? undefined : 'ours',
      );
    case 'FAILED':
      return failed(
        withReason(`The deployment of ${ours} failed${note}`, sd.statusReason) +
          lastFailure(snapshot.stoppedTasks),
        'FAILED',
        'ours',
      );
    default:
      return NOT_DONE;
  }
}
