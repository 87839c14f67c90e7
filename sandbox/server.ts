import type {
  Service as EcsService,
  Task as EcsTask,
  ServiceDeployment,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { handleEcr, newEcrState, type EcrState } from './ecr.js';
import { handleEcs } from './ecs/api.js';
import { newEcsState, type EcsState, type Task } from './ecs/model.js';
import { tick } from './ecs/scheduler.js';
import { taskDefinitionView } from './ecs/taskdefs.js';
import { serviceDeploymentView, serviceView, taskView } from './ecs/views.js';
import { DEFAULT_DURATIONS, type Clock, type Durations } from './ecs/tasks.js';
import { AwsError, closeServer, listen, type RequestContext, type Service } from './http.js';
import { checkImage } from './images.js';

export interface RequestLogEntry {
  service: Service;
  operation: string;
  write: boolean;
  at: Date;
}

/** Typed access for assertions. The view helpers return what the API would (Dates, SDK types), in us-east-1. */
export interface SandboxState {
  /** us-east-1's raw model (times are epoch milliseconds), where the SDK goes unless told otherwise. */
  ecs: EcsState;
  ecr: EcrState;
  /** Each region is separate, as in AWS; created on first use. */
  region(name: string): EcsState;
  /** Every task the service ever started, stopped ones included, oldest first. */
  tasksOf(service: string, cluster?: string): EcsTask[];
  service(name: string, cluster?: string): EcsService | undefined;
  /** All revisions of a family, oldest first. */
  taskDefinitions(family: string): TaskDefinition[];
  /** The service's service deployments, newest first. */
  serviceDeploymentsOf(service: string, cluster?: string): ServiceDeployment[];
}

function stateViews(ecs: EcsState, ecr: EcrState, region: (name: string) => EcsState): SandboxState {
  const findService = (name: string, cluster = 'default') => ecs.clusters.get(cluster)?.services.get(name);
  return {
    ecs,
    ecr,
    region,
    tasksOf: (name, cluster = 'default') =>
      [...ecs.tasks.values()]
        .filter((t) => t.serviceName === name && t.clusterName === cluster)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((t) => taskView(t) as EcsTask),
    service: (name, cluster) => {
      const s = findService(name, cluster);
      return s && (serviceView(ecs, s) as EcsService);
    },
    taskDefinitions: (family) =>
      (ecs.taskDefinitions.get(family) ?? []).map((td) => taskDefinitionView(td) as TaskDefinition),
    serviceDeploymentsOf: (name, cluster) => {
      const s = findService(name, cluster);
      return [...ecs.serviceDeployments.values()]
        .filter((sd) => sd.serviceArn === s?.arn)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((sd) => serviceDeploymentView(ecs, sd) as ServiceDeployment);
    },
  };
}

export interface AwsSandbox {
  endpoint: string;
  /** Every call in order; write = not Describe*, List*, Get* or BatchGet*. */
  requests: RequestLogEntry[];
  writes(): RequestLogEntry[];
  /** Sandbox seconds per real second. */
  timeScale: number;
  state: SandboxState;
  /**
   * Lets a test fail chosen calls, e.g. AccessDenied for one access key id:
   * `sandbox.intercept = (ctx) => ctx.accessKeyId === 'AKIDDENIED' ? new AwsError('AccessDeniedException', '...') : undefined`.
   * Intercepted calls are still logged.
   */
  intercept: ((ctx: RequestContext) => AwsError | undefined) | undefined;
  /** One scheduler pass now (the ticker runs one every 25 ms anyway). */
  tick(): void;
  close(): Promise<void>;
}

export interface SandboxOptions {
  registry: { url: string; host: string; username: string; password: string };
  /** Sandbox seconds per real second; 1 = real time (demo), e.g. 20 in tests. */
  timeScale?: number;
  /** Override lifecycle durations (sandbox seconds). */
  durations?: Partial<Durations>;
}

const READ_PREFIXES = ['Describe', 'List', 'Get', 'BatchGet'];

export function isWrite(operation: string): boolean {
  return !READ_PREFIXES.some((p) => operation.startsWith(p));
}

export async function startAwsSandbox(opts: SandboxOptions): Promise<AwsSandbox> {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  const durations: Durations = { ...DEFAULT_DURATIONS, ...opts.durations };
  const regions = new Map<string, EcsState>();
  const region = (name: string): EcsState => {
    let s = regions.get(name);
    if (!s) regions.set(name, (s = newEcsState(name)));
    return s;
  };
  const ecr = newEcrState();
  const requests: RequestLogEntry[] = [];

  const ports = {
    checkImages(task: Task): void {
      void Promise.all(task.containers.map((c) => checkImage(c.image, opts.registry))).then((results) => {
        results.forEach((r, i) => {
          const container = task.containers[i];
          if (r.ok && r.digest && container) container.imageDigest = r.digest;
        });
        const failure = results.find((r) => !r.ok);
        task.pull = failure && !failure.ok ? { state: 'failed', reason: failure.reason } : { state: 'ok' };
      });
    },
  };
  const clock = (): Clock => ({ now: Date.now(), ms: (s) => (s * 1000) / timeScale });
  const runTick = (): void => {
    const c = clock();
    for (const s of regions.values()) tick(s, c, durations, ports);
  };

  const sandbox: AwsSandbox = {
    endpoint: '',
    requests,
    writes: () => requests.filter((r) => r.write),
    timeScale,
    state: stateViews(region('us-east-1'), ecr, region),
    intercept: undefined,
    tick: runTick,
    close: async () => undefined,
  };

  const route = async (ctx: RequestContext): Promise<unknown> => {
    requests.push({
      service: ctx.service,
      operation: ctx.operation,
      write: isWrite(ctx.operation),
      at: new Date(),
    });
    const denied = sandbox.intercept?.(ctx);
    if (denied) throw denied;
    if (ctx.service === 'ecr') return handleEcr({ ...opts.registry }, ecr, ctx, Date.now());
    return handleEcs(region(ctx.region), ctx.operation, ctx.body, Date.now());
  };
  const { server, endpoint } = await listen(route);
  const timer = setInterval(runTick, 25);
  timer.unref();
  sandbox.endpoint = endpoint;
  sandbox.close = async () => {
    clearInterval(timer);
    await closeServer(server);
  };
  return sandbox;
}
