import type {
  Service as EcsService,
  Task as EcsTask,
  ServiceDeployment,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { handleCodeDeploy } from './codedeploy.js';
import { newCodeDeployState, type CodeDeployState } from './codedeploy-model.js';
import { tickCodeDeploy } from './codedeploy-rollout.js';
import { handleEcr, newEcrState, type EcrState } from './ecr.js';
import { handleEcrPublic, newEcrPublicState, type EcrPublicState } from './ecr-public.js';
import { handleEcs } from './ecs/api.js';
import { handleElbv2 } from './elbv2/api.js';
import { newElbState, type ElbState } from './elbv2/model.js';
import { checkServiceTargetGroups } from './elbv2/targets.js';
import { newEcsState, type EcsState, type Task } from './ecs/model.js';
import { tickStandaloneTasks } from './ecs/runtask.js';
import { tick } from './ecs/scheduler.js';
import { taskDefinitionView } from './ecs/taskdefs.js';
import { serviceDeploymentView, serviceView, taskView } from './ecs/views.js';
import { DEFAULT_DURATIONS, type Clock, type Durations } from './ecs/tasks.js';
import { AwsError, closeServer, listen, toWire, type RequestContext, type Service } from './http.js';
import type { AnswerRecord } from './model-check.js';
import { accessDeniedFor, Iam, type Principal } from './iam.js';
import { accessRequests } from './iam-resources.js';
import { handleIam } from './iam-api.js';
import { checkImage } from './images.js';
import { handleSts } from './sts.js';
import { missingAnswer, Outages, type Missing, type Outage } from './outages.js';

interface RequestLogEntry {
  service: Service;
  operation: string;
  write: boolean;
  at: Date;
  userAgent: string;
  /** The access key that signed the call (undefined: unsigned, as AssumeRoleWithWebIdentity may be). */
  accessKeyId: string | undefined;
  /** Who that key belongs to, once the signature checked out: a user's or an assumed role's ARN. */
  principal?: string;
  /** The error the sandbox answered with instead of handling the call (faults, denied). */
  fault?: string;
}

/** Injected transient failures: `rate` of calls (0 to 1) get ThrottlingException or a 503, alternately. */
interface Faults {
  rate: number;
  /** Which APIs; ECS only by default. */
  services?: Service[];
}

/** Typed access for assertions. The view helpers return what the API would (Dates, SDK types), in us-east-1. */
interface SandboxState {
  /** us-east-1's raw model (times are epoch milliseconds), where the SDK goes unless told otherwise. */
  ecs: EcsState;
  ecr: EcrState;
  /** ECR Public: its alias and created repositories (see ecr-public.ts). */
  ecrPublic: EcrPublicState;
  /** CodeDeploy: applications, deployment groups, deployments, and the Install timeout (see codedeploy.ts). */
  codeDeploy: CodeDeployState;
  /** Users, roles, OIDC providers and STS sessions: every call's signature is checked against them. */
  iam: Iam;
  /** A region's load balancers, listeners, rules and target groups (elbv2/model.ts; seed with elbv2/seed.ts). */
  elbv2(region?: string): ElbState;
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

function stateViews(
  ecs: EcsState,
  ecr: EcrState,
  region: (name: string) => EcsState,
): Omit<SandboxState, 'ecrPublic' | 'codeDeploy' | 'iam' | 'elbv2'> {
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
  /** Every call in order; write = not Describe*, List*, Get*, BatchGet* or Simulate*. */
  requests: RequestLogEntry[];
  /**
   * What the sandbox's handlers answered (the wire body, or the error they raised; not the faults tests
   * inject), for the check against the AWS models that startEnvironment's stop() runs.
   */
  answers: AnswerRecord[];
  writes(): RequestLogEntry[];
  /** Sandbox seconds per real second. */
  timeScale: number;
  state: SandboxState;
  /** Shortcut for `state.iam`: `sandbox.iam.addRole(...)`, `sandbox.iam.sessionLifetime = 300`. */
  iam: Iam;
  /**
   * Lets a test fail chosen calls, e.g. AccessDenied for one access key id:
   * `sandbox.intercept = (ctx) => ctx.accessKeyId === 'AKIDDENIED' ? new AwsError('AccessDeniedException', '...') : undefined`.
   * Intercepted calls are still logged.
   */
  intercept: ((ctx: RequestContext) => AwsError | undefined) | undefined;
  /** Throttling and 5xx at a rate, e.g. `sandbox.faults = { rate: 0.2 }`; undefined = none. */
  faults: Faults | undefined;
  /** Operations answered with AccessDeniedException for every caller, e.g. `sandbox.denied.add('ListTasks')`. */
  denied: Set<string>;
  /**
   * Operations this endpoint lacks, and how it says so (outages.ts), e.g.
   * `for (const op of SERVICE_DEPLOYMENT_API) sandbox.missing.set(op, 'html-500')`; `.clear()` after.
   */
  missing: Map<string, Missing>;
  /** An API that does not answer for a while, e.g. `{ answer: '503', after: 'UpdateService' }`; undefined = none. */
  outage: Outage | undefined;
  /**
   * Policy mode's registry login: the password GetAuthorizationToken hands a principal held to policies
   * (ecr-front.ts maps it back to the principal); undefined = the registry's own password for everyone.
   */
  registryToken: ((principal: Principal, api: 'ecr' | 'ecr-public') => string) | undefined;
  /** One scheduler pass now (the ticker runs one every 25 ms anyway). */
  tick(): void;
  /**
   * With `clock: 'manual'` only: sandbox time moves on by `seconds`, then one scheduler pass runs. A test
   * that must see every short-lived state (a deployment's one-second `Created`) steps time itself instead
   * of racing the ticker on a loaded machine.
   */
  advance(seconds: number): void;
  close(): Promise<void>;
}

export interface SandboxOptions {
  registry: { url: string; host: string; username: string; password: string; plainUrl?: string | undefined };
  /** Sandbox seconds per real second; 1 = real time (demo), e.g. 20 in tests. */
  timeScale?: number;
  /** Override lifecycle durations (sandbox seconds). */
  durations?: Partial<Durations>;
  /** 'real' (default): time flows and a ticker moves the world on; 'manual': only `advance()` does. */
  clock?: 'real' | 'manual';
}

const READ_PREFIXES = ['Describe', 'List', 'Get', 'BatchGet', 'Simulate'];

function isWrite(operation: string): boolean {
  return !READ_PREFIXES.some((p) => operation.startsWith(p));
}

/** IAM's prefix for a service where it is not the sandbox's name for it. */
const IAM_PREFIX: Partial<Record<Service, string>> = { elbv2: 'elasticloadbalancing' };

const iamAction = (ctx: RequestContext): string =>
  `${IAM_PREFIX[ctx.service] ?? ctx.service}:${ctx.operation}`;

/** mulberry32: the same faults in the same order for the same calls, so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  const elbRegions = new Map<string, ElbState>();
  const elbRegion = (name: string): ElbState => {
    let s = elbRegions.get(name);
    if (!s) elbRegions.set(name, (s = newElbState(name)));
    return s;
  };
  const ecr = newEcrState();
  const ecrPublic = newEcrPublicState();
  const codeDeploy = newCodeDeployState();
  const requests: RequestLogEntry[] = [];
  const iam = new Iam(timeScale);

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
  const manual = opts.clock === 'manual';
  let manualNow = Date.now();
  const now = (): number => (manual ? manualNow : Date.now());
  const clock = (): Clock => ({ now: now(), ms: (s) => (s * 1000) / timeScale });
  const runTick = (): void => {
    const c = clock();
    for (const s of regions.values()) {
      tick(s, c, durations, ports);
      tickStandaloneTasks(s, c, durations, ports);
    }
    tickCodeDeploy(codeDeploy, c);
  };

  const sandbox: AwsSandbox = {
    endpoint: '',
    requests,
    answers: [],
    writes: () => requests.filter((r) => r.write),
    timeScale,
    state: {
      ...stateViews(region('us-east-1'), ecr, region),
      ecrPublic,
      codeDeploy,
      iam,
      elbv2: (name = 'us-east-1') => elbRegion(name),
    },
    iam,
    intercept: undefined,
    faults: undefined,
    denied: new Set(),
    missing: new Map(),
    outage: undefined,
    registryToken: undefined,
    tick: runTick,
    advance: (seconds) => {
      if (!manual) throw new Error("advance() needs startAwsSandbox({ clock: 'manual' })");
      manualNow += (seconds * 1000) / timeScale;
      runTick();
    },
    close: async () => undefined,
  };

  const outages = new Outages();
  const random = seededRandom(1);
  let faultCount = 0;
  const injected = (ctx: RequestContext, caller: Principal | undefined): AwsError | undefined => {
    const f = sandbox.faults;
    if (sandbox.denied.has(ctx.operation)) return accessDeniedFor(caller?.arn ?? '', iamAction(ctx));
    if (!f || !(f.services ?? ['ecs']).includes(ctx.service) || random() >= f.rate) return undefined;
    return faultCount++ % 2 === 0
      ? new AwsError('ThrottlingException', 'Rate exceeded')
      : new AwsError('ServiceUnavailableException', 'Service Unavailable', 503);
  };

  // A principal held to policies logs in with a token of its own, so the registry knows who pushes, and
  // through which API's login (ECR Public answers one authorizationData, ECR a list).
  const withRegistryToken = (
    ctx: RequestContext,
    caller: Principal | undefined,
    result: unknown,
  ): unknown => {
    const issue = sandbox.registryToken;
    const api = ctx.service === 'ecr' || ctx.service === 'ecr-public' ? ctx.service : undefined;
    if (!api || ctx.operation !== 'GetAuthorizationToken' || !issue) return result;
    if (!caller || !iam.policiesOf(caller)) return result;
    const authorizationToken = Buffer.from(`AWS:${issue(caller, api)}`).toString('base64');
    const data = (result as { authorizationData: Record<string, unknown> | Record<string, unknown>[] })
      .authorizationData;
    return {
      authorizationData: Array.isArray(data)
        ? data.map((d) => ({ ...d, authorizationToken }))
        : { ...data, authorizationToken },
    };
  };

  // What the sandbox answers when nothing is broken.
  const handle = async (ctx: RequestContext, caller: Principal | undefined): Promise<unknown> => {
    if (ctx.service === 'sts') return handleSts(iam, ctx, caller, now());
    if (ctx.service === 'iam') return handleIam(iam, ctx);
    if (ctx.service === 'ecr-public') return handleEcrPublic(opts.registry, ecrPublic, ctx, now());
    if (ctx.service === 'codedeploy') return handleCodeDeploy(codeDeploy, region(ctx.region), ctx, now());
    if (ctx.service === 'ecr') return handleEcr({ ...opts.registry }, ecr, ctx, now());
    if (ctx.service === 'elbv2')
      return handleElbv2(elbRegion(ctx.region), region(ctx.region), ctx.operation, ctx.body as never, now());
    // ECS checks a service's target groups against ELBv2 before it creates the service, or gives it new ones.
    if (ctx.operation === 'CreateService' || ctx.operation === 'UpdateService')
      checkServiceTargetGroups(elbRegion(ctx.region), region(ctx.region), ctx.body);
    return handleEcs(region(ctx.region), ctx.operation, ctx.body, now());
  };
  const route = async (ctx: RequestContext): Promise<unknown> => {
    const entry: RequestLogEntry = {
      service: ctx.service,
      operation: ctx.operation,
      write: isWrite(ctx.operation),
      at: new Date(),
      userAgent: ctx.userAgent,
      accessKeyId: ctx.accessKeyId,
    };
    requests.push(entry);
    let caller: Principal | undefined;
    try {
      caller = await iam.authenticate(ctx, now());
      if (caller) entry.principal = caller.arn;
      iam.authorize(
        caller,
        iamAction(ctx),
        accessRequests(ctx, { ecs: region(ctx.region), codeDeploy, roles: iam.roles }),
      );
    } catch (err) {
      if (err instanceof AwsError) entry.fault = err.code;
      throw err;
    }
    const denied = sandbox.intercept?.(ctx) ?? injected(ctx, caller);
    if (denied) {
      entry.fault = denied.code;
      throw denied;
    }
    const missing = sandbox.missing.get(ctx.operation);
    const broken =
      outages.answer(sandbox.outage, ctx, now()) ?? (missing ? missingAnswer(missing, ctx) : undefined);
    if (broken) {
      entry.fault = broken instanceof AwsError ? broken.code : broken.message;
      throw broken;
    }
    const { service, operation } = ctx;
    try {
      const result = withRegistryToken(ctx, caller, await handle(ctx, caller));
      sandbox.answers.push({ service, operation, ok: true, body: toWire(result ?? {}) });
      outages.answered(sandbox.outage, ctx, now());
      return result;
    } catch (err) {
      if (err instanceof AwsError) sandbox.answers.push({ service, operation, ok: false, code: err.code });
      throw err;
    }
  };

  const { server, endpoint } = await listen(route);
  const timer = manual ? undefined : setInterval(runTick, 25);
  timer?.unref();
  sandbox.endpoint = endpoint;
  sandbox.close = async () => {
    clearInterval(timer);
    await closeServer(server);
  };
  return sandbox;
}
