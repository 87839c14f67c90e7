import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { errorName } from '../../aws/errors.js';
import { stoppedTaskLine } from '../rollout/lines.js';
import { conclusiveFailure } from '../rollout/evidence.js';
import { CallError, SnapshotReader } from '../rollout/snapshot-reader.js';

/**
 * What the CodeDeploy watcher learns from ECS itself. CodeDeploy waits up to its install timeout (60 min on
 * AWS) for a replacement task set whose tasks cannot start; ECS has said so as soon as the first such task
 * stopped. The same rule as the rolling path (evidence.ts) decides, from the same reader (snapshot-reader.ts).
 */
export class CodeDeployEvidence {
  private readonly reader: SnapshotReader;
  private off = false;

  constructor(
    ecs: ECSClient,
    private readonly target: { cluster: string; service: string; taskDefinitionArn: string; startedAt: Date },
    private readonly print: (text: string) => void,
  ) {
    this.reader = new SnapshotReader(ecs, { ...target, deploymentId: undefined }, print);
  }

  /**
   * One look: prints newly stopped tasks of our revision and returns the conclusive failure, if any. Never
   * throws: without ECS read access the watch goes on with CodeDeploy's verdict alone, as before.
   */
  async check(): Promise<string | undefined> {
    if (this.off) return undefined;
    try {
      const { snapshot, newly } = await this.reader.readTasks();
      for (const task of newly) this.print(stoppedTaskLine(task));
      // No breaker judges a CodeDeploy replacement: only the install timeout would, an hour later.
      return conclusiveFailure(snapshot.service, snapshot.stoppedTasks, this.target.startedAt, 'DISABLED');
    } catch (err) {
      this.off = true;
      const why = err instanceof CallError ? `${err.action}: ${errorName(err.cause)}` : errorName(err);
      this.print(`stopped tasks are not readable (${why}); waiting for CodeDeploy's own verdict`);
      return undefined;
    }
  }
}

export type RollbackVerdict = { done: false } | { done: true; success: boolean; reason: string };

/** The verdict on the rollback deployment CodeDeploy started (rollbackInfo.rollbackDeploymentId). Pure. */
export function judgeRollbackDeployment(info: DeploymentInfo | undefined): RollbackVerdict {
  const id = info?.deploymentId ?? 'the rollback deployment';
  switch (info?.status) {
    case 'Succeeded':
      return { done: true, success: true, reason: `rollback deployment ${id} Succeeded` };
    case 'Failed':
    case 'Stopped': {
      const error = info.errorInformation?.message;
      return {
        done: true,
        success: false,
        reason: `rollback deployment ${id} ${info.status}${error ? `: ${error}` : ''}`,
      };
    }
    default:
      return { done: false };
  }
}
