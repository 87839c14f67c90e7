import type { DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import type { PollLine } from '../../poll/changed-lines.js';

// What CodeDeploy's answers say, read purely: GetDeployment's verdict and GetDeploymentTarget's lines.

export type CodeDeployVerdict =
  | { done: false }
  | { done: true; success: boolean; state: 'SUCCESSFUL' | 'FAILED' | 'ROLLED_BACK'; reason: string };

/** CodeDeploy's verdict from GetDeployment. Pure. Ready = waiting for someone to reroute traffic: not done. */
export function judgeCodeDeploy(info: DeploymentInfo | undefined): CodeDeployVerdict {
  const id = info?.deploymentId ?? 'the CodeDeploy deployment';
  const error = info?.errorInformation;
  const why = error?.message ? `: ${error.code ? `${error.code}: ` : ''}${error.message}` : '';
  switch (info?.status) {
    case 'Succeeded':
      return { done: true, success: true, state: 'SUCCESSFUL', reason: `CodeDeploy reports ${id} Succeeded` };
    case 'Failed':
    case 'Stopped': {
      const rolledBack = info.rollbackInfo?.rollbackDeploymentId;
      const back = rolledBack ? `; CodeDeploy rolled back in ${rolledBack}` : '';
      return {
        done: true,
        success: false,
        state: 'FAILED',
        reason: `CodeDeploy deployment ${id} ${info.status}${why}${back}`,
      };
    }
    default:
      return { done: false };
  }
}

/**
 * The deployment target's lines for the poller: one per lifecycle event, keyed by its name so it prints when
 * its status moves (an event first seen Pending says nothing: CodeDeploy lists every event from the start),
 * and the task sets' traffic weights. Pure.
 */
export function targetLines(target: DeploymentTarget | undefined): PollLine[] {
  const ecs = target?.ecsTarget;
  const lines: PollLine[] = (ecs?.lifecycleEvents ?? []).map((e) => {
    const name = e.lifecycleEventName ?? '?';
    const diag = e.diagnostics?.message ? `: ${e.diagnostics.message}` : '';
    const text = `lifecycle event ${name} ${e.status ?? '?'}${diag}`;
    return { key: `lifecycle event ${name}`, text, initial: `lifecycle event ${name} Pending` };
  });
  const sets = (ecs?.taskSetsInfo ?? [])
    .map((s) => `${s.taskSetLabel ?? s.identifer ?? '?'} ${s.trafficWeight ?? 0}%`)
    .join(', ');
  // No task set reported is remembered too: the weights print again when they come back.
  lines.push({ key: 'traffic', text: `traffic: ${sets}`, ...(sets === '' ? { silent: true } : {}) });
  return lines;
}
