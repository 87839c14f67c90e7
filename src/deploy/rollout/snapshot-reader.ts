import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import { iamAction } from '../../aws/errors.js';
import { errorMessage } from '../../errors.js';
import { sameTaskDefinition } from './identify.js';
import { missingServiceDeployments } from './service-deployment-api.js';
import type { RolloutTarget, Snapshot } from './verdict.js';

const FINAL_STATUSES = new Set(['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);

// ECS timestamps come from AWS's clock, startedAt from the runner's; allow for drift between them.
const CLOCK_SKEW_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 30_000;

/** An ECS call that failed, with the IAM action it needed so the verdict can name it. */
export class CallError extends Error {
  constructor(
    readonly action: string,
    override readonly cause: unknown,
  ) {
    super(`${action}: ${errorMessage(cause)}`);
  }
}

function serviceName(service: string): string {
  // ListTasks wants a bare name; the input may be a service ARN (…:service/cluster/name).
  return service.slice(service.lastIndexOf('/') + 1);
}

/**
 * Reads what ECS says about one rollout, a Snapshot per poll. It keeps what must survive between polls:
 * which service deployment is ours, the stopped tasks already reported, the revisions already described.
 */
export class SnapshotReader {
  private readonly seenTasks = new Set<string>();
  private readonly stoppedTasks: Task[] = [];
  private readonly revisionTaskDefs = new Map<string, string | undefined>();
  private sdMode: 'search' | 'follow' | 'off' = 'search';
  private sdArn: string | undefined;
  /** Polls in a row whose service-deployment call failed. */
  private sdFailures = 0;

  constructor(
    private readonly ecs: ECSClient,
    private readonly target: RolloutTarget,
    /** For what the reader finds out once: which service deployment it follows, or that it cannot. */
    private readonly print: (text: string) => void,
  ) {
    if (target.serviceDeploymentArn) {
      this.sdMode = 'follow';
      this.sdArn = target.serviceDeploymentArn;
    }
  }

  /** The service deployment followed, once found. */
  get serviceDeploymentArn(): string | undefined {
    return this.sdArn;
  }

  /** Before the first poll answers: nothing seen, but the stopped tasks collected so far all the same. */
  empty(): Snapshot {
    return { service: undefined, serviceDeployment: undefined, stoppedTasks: this.stoppedTasks };
  }

  /** One poll; `newly` = the stopped tasks of ours this poll saw first. Throws CallError. */
  async read(): Promise<{ snapshot: Snapshot; newly: Task[] }> {
    let service = await this.describeService();
    // A deleted service is a verdict already; its deployments and tasks add nothing.
    const serviceDeployment = service ? await this.serviceDeployment() : undefined;
    // A final status can be newer than the service read just before it (on a loaded runner a whole
    // rollback fits between the two calls): judge it against a service read after it, so "back on
    // web:5" is never judged from a service still on the failed revision.
    if (serviceDeployment?.status && FINAL_STATUSES.has(serviceDeployment.status)) {
      service = (await this.describeService()) ?? service;
    }
    const newly = service ? await this.newlyStoppedTasks() : [];
    return { snapshot: { service, serviceDeployment, stoppedTasks: this.stoppedTasks }, newly };
  }

  /**
   * The service and our newly stopped tasks, without the service-deployment search: for rollouts ECS does not
   * run as a service deployment of ours (CodeDeploy's). Throws CallError.
   */
  async readTasks(): Promise<{ snapshot: Snapshot; newly: Task[] }> {
    const service = await this.describeService();
    const newly = service ? await this.newlyStoppedTasks() : [];
    return { snapshot: { service, serviceDeployment: undefined, stoppedTasks: this.stoppedTasks }, newly };
  }

  // The operation is named here, not read from the command's class name, which a minifier may mangle.
  // Each call gets its own time limit so one hung connection cannot hold the watch past its timeout.
  private async call<T>(operation: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await send(AbortSignal.timeout(CALL_TIMEOUT_MS));
    } catch (err) {
      throw new CallError(iamAction('ecs', operation), err);
    }
  }

  private async describeService(): Promise<Service | undefined> {
    const cmd = new DescribeServicesCommand({
      cluster: this.target.cluster,
      services: [this.target.service],
    });
    const out = await this.call('DescribeServices', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
    // A missing service is a `failures` entry (reason MISSING), not an exception.
    return out.services?.[0];
  }

  /** Which of the recent service deployments targets our task definition, newest first. */
  private async findServiceDeployment(): Promise<string | undefined> {
    const list = new ListServiceDeploymentsCommand({
      cluster: this.target.cluster,
      service: this.target.service,
      createdAt: { after: new Date(this.target.startedAt.getTime() - CLOCK_SKEW_MS) },
    });
    const found = await this.call('ListServiceDeployments', (abortSignal) =>
      this.ecs.send(list, { abortSignal }),
    );
    const briefs = [...(found.serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    );
    const unknown = [
      ...new Set(briefs.map((b) => b.targetServiceRevisionArn).filter((a): a is string => !!a)),
    ].filter((arn) => !this.revisionTaskDefs.has(arn));
    for (let i = 0; i < unknown.length; i += 20) {
      const cmd = new DescribeServiceRevisionsCommand({ serviceRevisionArns: unknown.slice(i, i + 20) });
      const out = await this.call('DescribeServiceRevisions', (abortSignal) =>
        this.ecs.send(cmd, { abortSignal }),
      );
      for (const rev of out.serviceRevisions ?? []) {
        if (rev.serviceRevisionArn) this.revisionTaskDefs.set(rev.serviceRevisionArn, rev.taskDefinition);
      }
    }
    const ours = briefs.find((b) =>
      sameTaskDefinition(
        this.revisionTaskDefs.get(b.targetServiceRevisionArn ?? ''),
        this.target.taskDefinitionArn,
      ),
    );
    return ours?.serviceDeploymentArn;
  }

  /**
   * Ours, once found; undefined while not found or when the API is missing here. A missing API is said once,
   * and from then on the judge goes by DescribeServices' deployments (service-deployment-api.ts).
   */
  private async serviceDeployment(): Promise<ServiceDeployment | undefined> {
    if (this.sdMode === 'off') return undefined;
    try {
      const found = await this.readServiceDeployment();
      this.sdFailures = 0;
      return found;
    } catch (err) {
      if (!(err instanceof CallError)) throw err;
      const optional = err.action === 'ecs:ListServiceDeployments';
      const why = missingServiceDeployments(err.cause, err.action, optional, ++this.sdFailures);
      if (why === undefined) throw err;
      this.sdMode = 'off';
      this.print(`service deployments are not available (${why}); judging from the service's deployments`);
      return undefined;
    }
  }

  private async readServiceDeployment(): Promise<ServiceDeployment | undefined> {
    if (this.sdMode === 'search') {
      this.sdArn = await this.findServiceDeployment();
      if (!this.sdArn) return undefined;
      this.sdMode = 'follow';
      this.print(`following service deployment ${this.sdArn}`);
    }
    if (!this.sdArn) return undefined;
    const cmd = new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [this.sdArn] });
    const out = await this.call('DescribeServiceDeployments', (abortSignal) =>
      this.ecs.send(cmd, { abortSignal }),
    );
    return out.serviceDeployments?.[0];
  }

  /** Stopped tasks of our revision not reported before. */
  private async newlyStoppedTasks(): Promise<Task[]> {
    const list = new ListTasksCommand({
      cluster: this.target.cluster,
      serviceName: serviceName(this.target.service),
      desiredStatus: 'STOPPED',
      maxResults: 100,
    });
    const arns = (
      (await this.call('ListTasks', (abortSignal) => this.ecs.send(list, { abortSignal }))).taskArns ?? []
    ).filter((arn) => !this.seenTasks.has(arn));
    const fresh: Task[] = [];
    const since = this.target.startedAt.getTime() - CLOCK_SKEW_MS;
    for (let i = 0; i < arns.length; i += 100) {
      const cmd = new DescribeTasksCommand({ cluster: this.target.cluster, tasks: arns.slice(i, i + 100) });
      const out = await this.call('DescribeTasks', (abortSignal) => this.ecs.send(cmd, { abortSignal }));
      for (const task of out.tasks ?? []) {
        // A task still stopping has no exit codes yet: look again next poll.
        if (!task.taskArn || task.lastStatus !== 'STOPPED') continue;
        this.seenTasks.add(task.taskArn);
        const when = (task.stoppedAt ?? task.stoppingAt ?? task.createdAt)?.getTime() ?? Infinity;
        if (sameTaskDefinition(task.taskDefinitionArn, this.target.taskDefinitionArn) && when >= since) {
          fresh.push(task);
        }
      }
    }
    this.stoppedTasks.push(...fresh);
    return fresh;
  }
}
