// Before the first write: may the step's principal do the writes this run needs? IAM's own policy
// simulator answers (iam:SimulatePrincipalPolicy), so a role lacking ecs:UpdateService is named before a
// revision is registered. A principal that may not simulate (most deploy roles) is not asked twice: the
// check is skipped with a debug line, and the call itself names the action if it is refused.
import type { IAMClient } from '@aws-sdk/client-iam';
import { UserError } from '../errors.js';
import { debugLines } from '../report/log.js';
import { createCallerStsClient, createIamClient } from './clients.js';
import { describeAwsError } from './errors.js';

export interface PermissionCheck {
  action: string;
  resource: string;
}

/**
 * Whose policies to simulate: the role's, not the session's. `role-to-assume` is that role's ARN, path and
 * all. Otherwise the caller's `arn:aws:sts::A:assumed-role/NAME/SESSION` names the role but drops its path
 * (`role/team/deploy/NAME`), so IAM is asked for the role by name (iam:GetRole), which answers its real ARN;
 * a user's ARN is its own source.
 */
async function policySourceArn(
  region: string,
  iam: IAMClient,
  roleToAssume: string | undefined,
): Promise<string> {
  if (roleToAssume) return roleToAssume;
  const caller = await callerArn(region);
  const name = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/.+$/.exec(caller)?.[1];
  if (!name) return caller;
  const { GetRoleCommand } = await import('@aws-sdk/client-iam');
  const role = await iam.send(new GetRoleCommand({ RoleName: name }));
  return role.Role?.Arn ?? caller;
}

/** Who the step's credentials are (sts:GetCallerIdentity), with a client of its own for the one call. */
async function callerArn(region: string): Promise<string> {
  const sts = await createCallerStsClient(region);
  try {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
  } finally {
    sts.destroy();
  }
}

async function simulate(client: IAMClient, source: string, checks: PermissionCheck[]) {
  const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
  // One call per action (the simulator crosses every action with every resource it is given), all at once.
  const decisions = await Promise.all(
    checks.map(async (check) => {
      const out = await client.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: source,
          ActionNames: [check.action],
          ResourceArns: [check.resource],
        }),
      );
      return { check, decision: out.EvaluationResults?.[0]?.EvalDecision ?? 'allowed' };
    }),
  );
  return decisions.filter((d) => d.decision !== 'allowed');
}

/**
 * Throws one line naming the first action IAM says the principal may not do; quiet when it cannot ask.
 * `roleToAssume`: the role the step assumed itself (its ARN), if any.
 */
export async function checkPermissions(
  region: string,
  checks: PermissionCheck[],
  roleToAssume?: string,
): Promise<void> {
  if (checks.length === 0) return;
  let source: string;
  let denied;
  const iam = await createIamClient(region);
  try {
    source = await policySourceArn(region, iam, roleToAssume);
    denied = await simulate(iam, source, checks);
  } catch (err) {
    debugLines(`Permission check skipped (${describeAwsError(err)}); refused calls name their IAM action.`);
    return;
  } finally {
    iam.destroy();
  }
  const [first] = denied;
  if (!first) return;
  throw new UserError(
    `Access denied before any change: ${source} may not ${first.check.action} on ${first.check.resource} ` +
      `(IAM's policy simulator: ${first.decision}): allow ${first.check.action} in its policy (see the README's IAM permissions).`,
  );
}
