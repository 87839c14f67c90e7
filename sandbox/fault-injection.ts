// Faults tests inject before a call is handled: AccessDenied for chosen operations, and throttling / 5xx at a rate.
import { AwsError, type RequestContext, type Service } from './http.js';
import { accessDeniedFor, type Principal } from './iam.js';
import { iamAction } from './iam-resources.js';

/** Injected transient failures: `rate` of calls (0 to 1) get ThrottlingException or a 503, alternately. */
export interface Faults {
  rate: number;
  /** Which APIs; ECS only by default. */
  services?: Service[];
}

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

/** The sandbox's switches, read on every call (tests change them while it runs). */
interface FaultSwitches {
  faults: Faults | undefined;
  denied: Set<string>;
}

/** The error a call gets instead of an answer, or undefined: one injector per sandbox (its own sequence). */
export function faultInjector(
  switches: FaultSwitches,
): (ctx: RequestContext, caller: Principal | undefined) => AwsError | undefined {
  const random = seededRandom(1);
  let faultCount = 0;
  return (ctx, caller) => {
    const f = switches.faults;
    if (switches.denied.has(ctx.operation)) return accessDeniedFor(caller?.arn ?? '', iamAction(ctx));
    if (!f || !(f.services ?? ['ecs']).includes(ctx.service) || random() >= f.rate) return undefined;
    return faultCount++ % 2 === 0
      ? new AwsError('ThrottlingException', 'Rate exceeded')
      : new AwsError('ServiceUnavailableException', 'Service Unavailable', 503);
  };
}
