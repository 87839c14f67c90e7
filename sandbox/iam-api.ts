// IAM's API in the sandbox, the calls a deploy makes of it: SimulatePrincipalPolicy, answered by the same
// evaluation that refuses calls in policy mode (iam-policy.ts), so a plan's verdict and the call's agree; and
// GetRole, which is how a session's role (its ARN has no path) is found with its path.
import { AwsError, type RequestContext } from './http.js';
import type { Iam } from './iam.js';
import { evaluate } from './iam-policy.js';
import { stringParam, type QueryValue } from './query.js';

const DECISIONS = { allowed: 'allowed', 'explicit-deny': 'explicitDeny', 'implicit-deny': 'implicitDeny' };

function getRole(iam: Iam, params: Record<string, QueryValue>): unknown {
  const name = stringParam(params, 'RoleName') ?? '';
  const role = [...iam.roles.values()].find((r) => r.name === name);
  if (!role) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  return {
    Role: {
      Path: role.path,
      RoleName: role.name,
      RoleId: `AROA${Buffer.from(role.arn).toString('hex').slice(0, 17).toUpperCase()}`,
      Arn: role.arn,
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(role.trustPolicy)),
      MaxSessionDuration: role.maxSessionDuration,
    },
  };
}

export function handleIam(iam: Iam, ctx: RequestContext): unknown {
  const params = ctx.body as Record<string, QueryValue>;
  if (ctx.operation === 'GetRole') return getRole(iam, params);
  if (ctx.operation !== 'SimulatePrincipalPolicy')
    throw new AwsError('InvalidAction', `Could not find operation ${ctx.operation} for version 2010-05-08`);
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
