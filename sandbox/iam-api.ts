// IAM's API in the sandbox, the one call a deploy makes of it: SimulatePrincipalPolicy, answered by the same
// evaluation that refuses calls in policy mode (iam-policy.ts), so a plan's verdict and the call's agree.
import { AwsError, type RequestContext } from './http.js';
import type { Iam } from './iam.js';
import { evaluate } from './iam-policy.js';
import { stringParam, type QueryValue } from './query.js';

const DECISIONS = { allowed: 'allowed', 'explicit-deny': 'explicitDeny', 'implicit-deny': 'implicitDeny' };

export function handleIam(iam: Iam, ctx: RequestContext): unknown {
  if (ctx.operation !== 'SimulatePrincipalPolicy')
    throw new AwsError('InvalidAction', `Could not find operation ${ctx.operation} for version 2010-05-08`);
  const params = ctx.body as Record<string, QueryValue>;
  const source = stringParam(params, 'PolicySourceArn') ?? '';
  const role = iam.roles.get(source);
  const known = role || [...iam.users.values()].some((u) => u.arn === source);
  if (!known) throw new AwsError('NoSuchEntity', `The entity ${source} cannot be found.`, 404);
  const list = (name: string) => (Array.isArray(params[name]) ? (params[name] as string[]) : []);
  const policies = iam.policies.get(source);
  const results = list('ActionNames').flatMap((action) =>
    (list('ResourceArns').length > 0 ? list('ResourceArns') : ['*']).map((resource) => {
      const listed =
        !role || role.allow.some((p) => new RegExp(`^${p.replace(/\*/g, '.*')}$`, 'i').test(action));
      const decision = !listed
        ? 'implicit-deny'
        : policies
          ? evaluate(policies, { action, resource })
          : 'allowed';
      return { EvalActionName: action, EvalResourceName: resource, EvalDecision: DECISIONS[decision] };
    }),
  );
  return { EvaluationResults: results, IsTruncated: false };
}
