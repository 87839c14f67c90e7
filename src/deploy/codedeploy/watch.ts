import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describeError } from '../../errors.js';
import { errorName } from '../../aws/errors.js';
import { revisionName } from '../../aws/arn.js';
import type { Next, Poller } from '../../poll/poller.js';
import type { RolloutResult } from '../rollout/watch.js';
import type { CodeDeployArgs } from './deployment.js';
import { CodeDeployEvidence, judgeRollbackDeployment } from './evidence.js';
import { judgeCodeDeploy, targetLines } from './verdict.js';

// Following one CodeDeploy deployment to its end: the poll loop, stopping it on ECS's evidence, and
// CodeDeploy's rollback deployment after.

/** The result of a CodeDeploy rollout, its last line printed. */
export function finish(
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
export class CodeDeployWatch {
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
