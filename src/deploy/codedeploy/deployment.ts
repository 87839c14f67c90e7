import type { CodeDeployClient, DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { failureLine } from '../../report/failure.js';
import { errorName } from '../../aws/errors.js';
import { CodeDeployEvidence, judgeRollbackDeployment } from './evidence.js';
import { revisionName } from '../rollout/judge.js';
import type { RollbackMode } from '../rollback.js';
import { loadBalancerInfo } from '../strategy.js';
import type { RolloutResult } from '../rollout/watch.js';
import { realSleep, type PollOptions } from '../../poll.js';

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
  /** Reads stopped tasks of the new revision each poll, to stop a deployment that cannot succeed. */
  ecs?: ECSClient;
  /** `auto` (default): stopping asks CodeDeploy to roll back; `false`: it does not. */
  rollback?: RollbackMode;
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
  const result = (
    state: RolloutResult['state'],
    success: boolean,
    reason: string,
    id?: string,
    rolledBackTo?: string,
  ): RolloutResult => {
    print(`${state}: ${reason}`);
    return {
      ...(rolledBackTo ? { rolledBackTo } : {}),
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
  const evidence = args.ecs
    ? new CodeDeployEvidence(
        args.ecs,
        {
          cluster: args.cluster,
          service: args.service.serviceArn ?? args.service.serviceName ?? '',
          taskDefinitionArn: args.taskDefinitionArn,
          startedAt: new Date(started),
        },
        print,
      )
    : undefined;
  const mode = args.rollback ?? 'auto';
  let deadline = started + args.timeoutMinutes * 60_000;
  let lastStatus = '';
  let targetId: string | undefined;
  /** Why ecs-ship stopped the deployment, once it has. */
  let stoppedFor: string | undefined;
  let rollbackId: string | undefined;
  /** The failure line, once CodeDeploy has ended the deployment. */
  let cause = '';
  for (;;) {
    try {
      if (rollbackId) {
        const info = (await client.send(new sdk.GetDeploymentCommand({ deploymentId: rollbackId })))
          .deploymentInfo;
        const back = judgeRollbackDeployment(info);
        if (back.done) {
          const previous = args.service.taskDefinition;
          if (!back.success) {
            return result('FAILED', false, `${cause}. Rolling back failed too: ${back.reason}`, deploymentId);
          }
          const to = previous ? ` to ${revisionName(previous)}` : '';
          return result(
            'ROLLED_BACK',
            false,
            `${cause}. CodeDeploy rolled the service back${to} (${back.reason})`,
            deploymentId,
            previous,
          );
        }
      } else {
        const info = (await client.send(new sdk.GetDeploymentCommand({ deploymentId }))).deploymentInfo;
        if (info?.status && info.status !== lastStatus) print(`CodeDeploy deployment ${info.status}`);
        lastStatus = info?.status ?? lastStatus;
        targetId ??= (await client.send(new sdk.ListDeploymentTargetsCommand({ deploymentId })))
          .targetIds?.[0];
        if (targetId) {
          const target = await client.send(new sdk.GetDeploymentTargetCommand({ deploymentId, targetId }));
          for (const line of tracker.changes(target.deploymentTarget)) print(line);
        }
        const verdict = judgeCodeDeploy(info);
        if (verdict.done) {
          cause = stoppedFor
            ? `${stoppedFor}. ecs-ship stopped CodeDeploy deployment ${deploymentId}`
            : verdict.reason;
          rollbackId = verdict.success ? undefined : info?.rollbackInfo?.rollbackDeploymentId;
          if (!rollbackId) return result(verdict.state, verdict.success, cause, deploymentId);
          print(`waiting for CodeDeploy's rollback deployment ${rollbackId}`);
          // The rollback gets a full timeout of its own, as rollback.ts gives ECS's.
          deadline = now() + args.timeoutMinutes * 60_000;
          continue;
        }
        const why = stoppedFor ? undefined : await evidence?.check();
        if (why) {
          stoppedFor = why;
          const stop = await stopDeployment(sdk, client, deploymentId, mode === 'auto', print);
          if (stop) return result('FAILED', false, `${why}. ${stop}`, deploymentId);
          continue;
        }
      }
    } catch (err) {
      return result(
        'FAILED',
        false,
        `Watching CodeDeploy deployment ${rollbackId ?? deploymentId} failed: ${failureLine(err)}`,
        deploymentId,
      );
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      const what = rollbackId ? `rollback deployment ${rollbackId}` : `CodeDeploy deployment ${deploymentId}`;
      return result(
        'TIMED_OUT',
        false,
        `${stoppedFor ? `${stoppedFor}. ` : ''}Timed out after ${args.timeoutMinutes} min waiting for ${what} (${lastStatus || 'no status'})`,
        deploymentId,
      );
    }
    await sleep(Math.min(args.pollSeconds * 1000, remaining));
  }
}

/**
 * StopDeployment on evidence that the replacement cannot start. Returns why it could not stop (the result's
 * tail), or undefined when CodeDeploy took the request (or the deployment had ended anyway): the next poll
 * reads CodeDeploy's Stopped and its rollback deployment.
 */
async function stopDeployment(
  sdk: typeof import('@aws-sdk/client-codedeploy'),
  client: CodeDeployClient,
  deploymentId: string,
  autoRollbackEnabled: boolean,
  print: (text: string) => void,
): Promise<string | undefined> {
  const how = autoRollbackEnabled ? 'with rollback' : 'without rollback (rollback: false)';
  print(`stopping CodeDeploy deployment ${deploymentId} ${how}`);
  try {
    await client.send(new sdk.StopDeploymentCommand({ deploymentId, autoRollbackEnabled }));
    return undefined;
  } catch (err) {
    if (errorName(err) === 'DeploymentAlreadyCompletedException') return undefined;
    return `StopDeployment of ${deploymentId} failed, so CodeDeploy goes on until its own timeout: ${failureLine(err)}`;
  }
}
