import type { CodeDeployClient, DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { failureLine } from '../failure.js';
import { revisionName } from './judge.js';
import { loadBalancerInfo } from './strategy.js';
import type { RolloutResult } from './watch.js';
import { realSleep, type PollOptions } from './polling.js';

/**
 * Services with the CODE_DEPLOY deployment controller: UpdateService cannot change their task definition, so
 * the step creates a CodeDeploy deployment whose AppSpec points at the new revision and polls GetDeployment
 * (and the deployment's ECS target for lifecycle events and traffic) until CodeDeploy's verdict. The SDK is
 * loaded only for such services.
 */

/** The AppSpec CodeDeploy's ECS blue/green deployment takes, as the JSON string CreateDeployment carries. */
export function appSpecContent(taskDefinitionArn: string, service: Service): string {
  const lb = loadBalancerInfo(service);
  return JSON.stringify({
    version: '0.0',
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: lb?.containerName, ContainerPort: lb?.containerPort },
          },
        },
      },
    ],
  });
}

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
 * One line per lifecycle event whose status changed (not for events still Pending when first seen), and
 * the task sets' traffic weights when they moved.
 */
export class TargetTracker {
  private readonly events = new Map<string, string>();
  private weights = '';

  changes(target: DeploymentTarget | undefined): string[] {
    const lines: string[] = [];
    const ecs = target?.ecsTarget;
    for (const e of ecs?.lifecycleEvents ?? []) {
      const key = e.lifecycleEventName ?? '?';
      const status = e.status ?? '?';
      const before = this.events.get(key);
      if (before === status) continue;
      this.events.set(key, status);
      // CodeDeploy lists every event from the start, Pending: only a move says something.
      if (before === undefined && status === 'Pending') continue;
      const diag = e.diagnostics?.message ? `: ${e.diagnostics.message}` : '';
      lines.push(`lifecycle event ${key} ${status}${diag}`);
    }
    const sets = (ecs?.taskSetsInfo ?? [])
      .map((s) => `${s.taskSetLabel ?? s.identifer ?? '?'} ${s.trafficWeight ?? 0}%`)
      .join(', ');
    if (sets !== '' && sets !== this.weights) lines.push(`traffic: ${sets}`);
    this.weights = sets;
    return lines;
  }
}

export interface CodeDeployArgs extends PollOptions {
  region: string;
  cluster: string;
  service: Service;
  taskDefinitionArn: string;
  application: string;
  deploymentGroup: string;
  /** Tests pass a client; the action builds one from the region (and AWS_ENDPOINT_URL_CODEDEPLOY). */
  client?: CodeDeployClient;
}

/** Creates the deployment and watches it; never throws for a failed deployment (the result says so). */
export async function deployWithCodeDeploy(args: CodeDeployArgs): Promise<RolloutResult> {
  const sdk = await import('@aws-sdk/client-codedeploy');
  const client =
    args.client ??
    new sdk.CodeDeployClient({ region: args.region, maxAttempts: 8, customUserAgent: 'ecs-ship/0.1.0' });
  const now = args.now ?? Date.now;
  const sleep = args.sleep ?? realSleep;
  const started = now();
  const timeline: Array<{ at: Date; text: string }> = [];
  const print = (text: string) => {
    const line = `[${String(Math.round((now() - started) / 1000)).padStart(4)}s] ${text}`;
    timeline.push({ at: new Date(now()), text: line });
    args.log(line);
  };
  const result = (state: RolloutResult['state'], success: boolean, reason: string, id?: string) => {
    print(`${state}: ${reason}`);
    return {
      state,
      success,
      reason,
      serviceDeploymentArn: undefined,
      deploymentId: id,
      durationMs: now() - started,
      timeline,
    };
  };

  const rev = revisionName(args.taskDefinitionArn);
  let deploymentId: string | undefined;
  try {
    const created = await client.send(
      new sdk.CreateDeploymentCommand({
        applicationName: args.application,
        deploymentGroupName: args.deploymentGroup,
        description: `ecs-ship: ${rev}`,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: appSpecContent(args.taskDefinitionArn, args.service) },
        },
      }),
    );
    deploymentId = created.deploymentId;
  } catch (err) {
    return result('FAILED', false, `CodeDeploy refused the deployment of ${rev}: ${failureLine(err)}`);
  }
  if (!deploymentId) return result('FAILED', false, 'CodeDeploy returned no deployment id');
  print(
    `CodeDeploy deployment ${deploymentId} of ${rev} created (application ${args.application}, ` +
      `group ${args.deploymentGroup}); polling every ${args.pollSeconds}s, timeout ${args.timeoutMinutes} min`,
  );

  const tracker = new TargetTracker();
  const deadline = started + args.timeoutMinutes * 60_000;
  let lastStatus = '';
  let targetId: string | undefined;
  for (;;) {
    try {
      const info = (await client.send(new sdk.GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      if (info?.status && info.status !== lastStatus) print(`CodeDeploy deployment ${info.status}`);
      lastStatus = info?.status ?? lastStatus;
      targetId ??= (await client.send(new sdk.ListDeploymentTargetsCommand({ deploymentId }))).targetIds?.[0];
      if (targetId) {
        const target = await client.send(new sdk.GetDeploymentTargetCommand({ deploymentId, targetId }));
        for (const line of tracker.changes(target.deploymentTarget)) print(line);
      }
      const verdict = judgeCodeDeploy(info);
      if (verdict.done) return result(verdict.state, verdict.success, verdict.reason, deploymentId);
    } catch (err) {
      return result(
        'FAILED',
        false,
        `Watching CodeDeploy deployment ${deploymentId} failed: ${failureLine(err)}`,
        deploymentId,
      );
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      return result(
        'TIMED_OUT',
        false,
        `Timed out after ${args.timeoutMinutes} min waiting for CodeDeploy deployment ${deploymentId} (${lastStatus || 'no status'})`,
        deploymentId,
      );
    }
    await sleep(Math.min(args.pollSeconds * 1000, remaining));
  }
}
