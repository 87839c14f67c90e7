// startAwsSandbox: the AWS sandbox's HTTP endpoint, its request log, the ticker that moves its world on,
// and the order every call goes through (authenticate, authorize, injected faults, outages, the handler).
import { newCodeDeployState } from './codedeploy-model.js';
import { tickCodeDeploy } from './codedeploy-rollout.js';
import { newEcrState } from './ecr.js';
import { newEcrPublicState } from './ecr-public.js';
import { newEcsState, type EcsState, type Task } from './ecs/model.js';
import { tickStandaloneTasks } from './ecs/runtask.js';
import { tick } from './ecs/scheduler.js';
import { DEFAULT_DURATIONS, type Clock, type Durations } from './ecs/tasks.js';
import { newElbState, type ElbState } from './elbv2/model.js';
import { faultInjector, type Faults } from './fault-injection.js';
import { AwsError, closeServer, listen, toWire, type RequestContext } from './http.js';
import { Iam, type Principal } from './iam.js';
import { accessRequests, iamAction } from './iam-resources.js';
import { checkImage } from './images.js';
import type { AnswerRecord } from './model-check.js';
import { missingAnswer, Outages, type Missing, type Outage } from './outages.js';
import { withRegistryToken, type RegistryTokenIssuer } from './registry-token.js';
import { logEntryFor, type RequestLogEntry } from './request-log.js';
import { routeToHandler } from './request-routing.js';
import { stateViews, type SandboxState } from './state-views.js';

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
  registryToken: RegistryTokenIssuer | undefined;
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
  const injected = faultInjector(sandbox);
  const world = { registry: opts.registry, iam, ecr, ecrPublic, codeDeploy, region, elbRegion };

  const route = async (ctx: RequestContext): Promise<unknown> => {
    const entry = logEntryFor(ctx);
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
      const answer = await routeToHandler(world, ctx, caller, now());
      const result = withRegistryToken(sandbox.registryToken, iam, ctx, caller, answer);
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
