import type { CodeDeployClient, DeploymentInfo, DeploymentTarget } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeError } from '../../errors.js';
import { createCodeDeployClient } from '../../aws/clients.js';
import { errorName } from '../../aws/errors.js';
import type { PollLine } from '../../poll/changed-lines.js';
import { Poller, waitOptions, type Next, type PollOptions } from '../../poll/poller.js';
import { CodeDeployEvidence, judgeRollbackDeployment } from './evidence.js';
import { revisionName } from '../../aws/arn.js';
import type { RollbackMode } from '../rollback.js';
import { loadBalancerInfo } from '../strategy.js';
import type { RolloutResult } from '../rollout/watch.js';

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

/** The result of a CodeDeploy rollout, its last line printed. */
function finish(
  poller: Poller,
  state: RolloutResult['state'],
  success: boolean,
  reason: string,
  deploymentId?: string,
  rolledBackTo?: string,
): RolloutResult {
  poller.print(`${state}: ${reason}`);
  return {
    ...(rolledBackTo ? { rolledBackTo } : {}),
    state,
    success,
    reason,
    serviceDeploymentArn: undefined,
    deploymentId,
    durationMs: poller.elapsedMs(),
    timeline: poller.timeline,
  };
}

/**
 * Polls GetDeployment (and the deployment's ECS target) until CodeDeploy's verdict; stops the deployment on
 * ECS's evidence that it cannot succeed, and then follows CodeDeploy's rollback deployment, if any.
 */
class CodeDeployWatch {
  private lastStatus = '';
  private targetId: string | undefined;
  /** Why ecs-ship stopped the deployment, once it has. */
  private stoppedFor: string | undefined;
  private rollbackId: string | undefined;
  /** The failure line, once CodeDeploy has ended the deployment. */
  private cause = '';
  /** The lifecycle event in progress on the last poll, for the heartbeat. */
  private lifecycle: string | undefined;

  constructor(
    private readonly sdk: typeof import('@aws-sdk/client-codedeploy'),
    private readonly client: CodeDeployClient,
    private readonly args: CodeDeployArgs,
    private readonly poller: Poller,
    private readonly deploymentId: string,
    private readonly evidence: CodeDeployEvidence | undefined,
  ) {}

  private done(
    state: RolloutResult['state'],
    success: boolean,
    reason: string,
    to?: string,
  ): Next<RolloutResult> {
    return { done: finish(this.poller, state, success, reason, this.deploymentId, to) };
  }

  private async getDeployment(deploymentId: string): Promise<DeploymentInfo | undefined> {
    return (await this.client.send(new this.sdk.GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  }

  private async pollRollback(rollbackId: string): Promise<Next<RolloutResult>> {
    const back = judgeRollbackDeployment(await this.getDeployment(rollbackId));
    if (!back.done) return 'wait';
    if (!back.success)
      return this.done('FAILED', false, `${this.cause}. Rolling back failed too: ${back.reason}`);
    const previous = this.args.service.taskDefinition;
    const to = previous ? ` to ${revisionName(previous)}` : '';
    const reason = `${this.cause}. CodeDeploy rolled the service back${to} (${back.reason})`;
    return this.done('ROLLED_BACK', false, reason, previous);
  }

  private async pollDeployment(): Promise<Next<RolloutResult>> {
    const { sdk, client, deploymentId, poller } = this;
    const info = await this.getDeployment(deploymentId);
    if (info?.status) poller.show([{ key: 'status', text: `CodeDeploy deployment ${info.status}` }]);
    this.lastStatus = info?.status ?? this.lastStatus;
    this.targetId ??= (await client.send(new sdk.ListDeploymentTargetsCommand({ deploymentId })))
      .targetIds?.[0];
    if (this.targetId) {
      const target = await client.send(
        new sdk.GetDeploymentTargetCommand({ deploymentId, targetId: this.targetId }),
      );
      poller.show(targetLines(target.deploymentTarget));
      this.lifecycle = target.deploymentTarget?.ecsTarget?.lifecycleEvents?.find(
        (e) => e.status === 'InProgress',
      )?.lifecycleEventName;
    }
    const verdict = judgeCodeDeploy(info);
    if (verdict.done) {
      this.cause = this.stoppedFor
        ? `${this.stoppedFor}. ecs-ship stopped CodeDeploy deployment ${deploymentId}`
        : verdict.reason;
      this.rollbackId = verdict.success ? undefined : info?.rollbackInfo?.rollbackDeploymentId;
      if (!this.rollbackId) return this.done(verdict.state, verdict.success, this.cause);
      poller.print(`waiting for CodeDeploy's rollback deployment ${this.rollbackId}`);
      // The rollback gets a full timeout of its own, as rollback.ts gives ECS's.
      poller.restartDeadline();
      return 'now';
    }
    const why = this.stoppedFor ? undefined : await this.evidence?.check();
    if (!why) return 'wait';
    this.stoppedFor = why;
    const stop = await stopDeployment(
      sdk,
      client,
      deploymentId,
      (this.args.rollback ?? 'auto') === 'auto',
      poller,
    );
    return stop ? this.done('FAILED', false, `${why}. ${stop}`) : 'now';
  }

  /** `CodeDeploy deployment d-1: InProgress, lifecycle event Install in progress`, for the heartbeat. */
  private waitingFor(): string {
    if (this.rollbackId) return `CodeDeploy's rollback deployment ${this.rollbackId}`;
    const event = this.lifecycle ? `, lifecycle event ${this.lifecycle} in progress` : '';
    return `CodeDeploy deployment ${this.deploymentId}: ${this.lastStatus || 'no status yet'}${event}`;
  }

  async run(): Promise<RolloutResult> {
    try {
      const waited = await this.poller.until(
        () => (this.rollbackId ? this.pollRollback(this.rollbackId) : this.pollDeployment()),
        () => this.waitingFor(),
      );
      if (!waited.timedOut) return waited.value;
    } catch (err) {
      const reason = `Watching CodeDeploy deployment ${this.rollbackId ?? this.deploymentId} failed: ${describeError(err)}`;
      return finish(this.poller, 'FAILED', false, reason, this.deploymentId);
    }
    const what = this.rollbackId
      ? `rollback deployment ${this.rollbackId}`
      : `CodeDeploy deployment ${this.deploymentId}`;
    const reason =
      `${this.stoppedFor ? `${this.stoppedFor}. ` : ''}Timed out after ${this.args.timeoutMinutes} min ` +
      `waiting for ${what} (${this.lastStatus || 'no status'})`;
    return finish(this.poller, 'TIMED_OUT', false, reason, this.deploymentId);
  }
}

/** Creates the deployment and watches it; never throws for a failed deployment (the result says so). */
export async function deployWithCodeDeploy(args: CodeDeployArgs): Promise<RolloutResult> {
  const sdk = await import('@aws-sdk/client-codedeploy');
  const client = args.client ?? (await createCodeDeployClient(args.region));
  const poller = new Poller({ ...waitOptions(args), elapsedPrefix: true });
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
    const reason = `CodeDeploy refused the deployment of ${rev}: ${describeError(err)}`;
    return finish(poller, 'FAILED', false, reason);
  }
  if (!deploymentId) return finish(poller, 'FAILED', false, 'CodeDeploy returned no deployment id');
  poller.print(
    `CodeDeploy deployment ${deploymentId} of ${rev} created (application ${args.application}, ` +
      `group ${args.deploymentGroup}); polling every ${args.pollSeconds}s, timeout ${args.timeoutMinutes} min`,
  );
  const evidence = args.ecs
    ? new CodeDeployEvidence(
        args.ecs,
        {
          cluster: args.cluster,
          service: args.service.serviceArn ?? args.service.serviceName ?? '',
          taskDefinitionArn: args.taskDefinitionArn,
          startedAt: new Date(poller.since),
        },
        (text) => poller.print(text),
      )
    : undefined;
  return new CodeDeployWatch(sdk, client, args, poller, deploymentId, evidence).run();
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
  poller: Poller,
): Promise<string | undefined> {
  const how = autoRollbackEnabled ? 'with rollback' : 'without rollback (rollback: false)';
  poller.print(`stopping CodeDeploy deployment ${deploymentId} ${how}`);
  try {
    await client.send(new sdk.StopDeploymentCommand({ deploymentId, autoRollbackEnabled }));
    return undefined;
  } catch (err) {
    if (errorName(err) === 'DeploymentAlreadyCompletedException') return undefined;
    return `StopDeployment of ${deploymentId} failed, so CodeDeploy goes on until its own timeout: ${describeError(err)}`;
  }
}
