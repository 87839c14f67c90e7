// Which handler answers a request: what the sandbox answers when nothing is broken (no faults, no outage).
import { handleCodeDeploy } from './codedeploy.js';
import type { CodeDeployState } from './codedeploy-model.js';
import { handleEcr, type EcrState } from './ecr.js';
import { handleEcrPublic, type EcrPublicState } from './ecr-public.js';
import { handleEcs } from './ecs/api.js';
import type { EcsState } from './ecs/model.js';
import { handleElbv2 } from './elbv2/api.js';
import type { ElbState } from './elbv2/model.js';
import { checkServiceTargetGroups } from './elbv2/targets.js';
import type { RequestContext } from './http.js';
import type { Iam, Principal } from './iam.js';
import { handleIam } from './iam-api.js';
import { handleSts } from './sts.js';

/** Everything the handlers act on; regions are created on first use. */
export interface SandboxWorld {
  registry: Parameters<typeof handleEcr>[0];
  iam: Iam;
  ecr: EcrState;
  ecrPublic: EcrPublicState;
  codeDeploy: CodeDeployState;
  region(name: string): EcsState;
  elbRegion(name: string): ElbState;
}

export async function routeToHandler(
  world: SandboxWorld,
  ctx: RequestContext,
  caller: Principal | undefined,
  now: number,
): Promise<unknown> {
  const { iam, region, elbRegion } = world;
  if (ctx.service === 'sts') return handleSts(iam, ctx, caller, now);
  if (ctx.service === 'iam') return handleIam(iam, ctx);
  if (ctx.service === 'ecr-public') return handleEcrPublic(world.registry, world.ecrPublic, ctx, now);
  if (ctx.service === 'codedeploy') return handleCodeDeploy(world.codeDeploy, region(ctx.region), ctx, now);
  if (ctx.service === 'ecr') return handleEcr({ ...world.registry }, world.ecr, ctx, now);
  if (ctx.service === 'elbv2')
    return handleElbv2(elbRegion(ctx.region), region(ctx.region), ctx.operation, ctx.body as never, now);
  // ECS checks a service's target groups against ELBv2 before it creates the service, or gives it new ones.
  if (ctx.operation === 'CreateService' || ctx.operation === 'UpdateService')
    checkServiceTargetGroups(elbRegion(ctx.region), region(ctx.region), ctx.body);
  return handleEcs(region(ctx.region), ctx.operation, ctx.body, now);
}
