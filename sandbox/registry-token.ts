// Policy mode's registry login: a principal held to policies logs in with a token of its own, so the registry
// knows who pushes, and through which API's login (ECR Public answers one authorizationData, ECR a list).
import type { RequestContext } from './http.js';
import type { Iam, Principal } from './iam.js';

/** Hands a principal held to policies its own registry password (ecr-front.ts maps it back to the principal). */
export type RegistryTokenIssuer = (principal: Principal, api: 'ecr' | 'ecr-public') => string;

/** GetAuthorizationToken's answer with the caller's own token in it; any other answer as it was. */
export function withRegistryToken(
  issue: RegistryTokenIssuer | undefined,
  iam: Iam,
  ctx: RequestContext,
  caller: Principal | undefined,
  result: unknown,
): unknown {
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
}
