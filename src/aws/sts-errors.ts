// STS's refusals as one line that names the fix. For a refused ID token: the claims a trust policy goes by
// (never the token) and the condition that would admit this one.
import { UserError } from '../errors.js';
import type { RoleInputs } from '../inputs/credentials.js';
import { errorName, oneLineMessage } from './errors.js';

/** The token's payload, unverified: only to show a person what the token says. */
export function idTokenClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const quoted = (v: unknown) => (typeof v === 'string' ? `'${v}'` : 'none');

/** `token.actions.githubusercontent.com`: how IAM names the provider in condition keys. */
function providerHost(iss: unknown): string {
  return typeof iss === 'string'
    ? iss.replace(/^https?:\/\//, '').replace(/\/$/, '')
    : 'token.actions.githubusercontent.com';
}

export function explainStsRefusal(err: unknown, role: RoleInputs, token: string | undefined): Error {
  const name = errorName(err);
  const said = `${name}: ${oneLineMessage(err)}`;
  if (role.source.kind === 'assume-role') {
    if (name === 'AccessDenied' || name === 'AccessDeniedException')
      return new UserError(
        `STS refused AssumeRole on ${role.roleArn} (${said}): the role's trust policy must allow sts:AssumeRole for the credentials in the environment` +
          (role.source.externalId ? ' with this external id' : '') +
          ', and their policy must allow sts:AssumeRole on the role.',
      );
    return stsError(err, said, role);
  }
  if (token === undefined) return stsError(err, said, role);
  const claims = idTokenClaims(token);
  const host = providerHost(claims.iss);
  const shown =
    `sub ${quoted(claims.sub)}, aud ${quoted(claims.aud)}, repository ${quoted(claims.repository)}, ` +
    `ref ${quoted(claims.ref)}, environment ${quoted(claims.environment)}`;
  if (name === 'InvalidIdentityTokenException' && /audience/i.test(oneLineMessage(err)))
    return new UserError(
      `STS refused the GitHub ID token for ${role.roleArn} (${said}); the token has ${shown}: ` +
        `the IAM OIDC provider for ${quoted(claims.iss)} must list ${quoted(claims.aud)} as an audience (client id), or input 'audience' must name one it lists.`,
    );
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'InvalidIdentityTokenException')
    return new UserError(
      `STS refused the GitHub ID token for ${role.roleArn} (${said}); the token has ${shown}: ` +
        `the role's trust policy must allow sts:AssumeRoleWithWebIdentity for ${host} with a condition that admits it, e.g. ` +
        `"StringEquals": {"${host}:aud": "${String(claims.aud ?? '')}", "${host}:sub": "${String(claims.sub ?? '')}"}.`,
    );
  return stsError(err, said, role);
}

function stsError(err: unknown, said: string, role: RoleInputs): Error {
  if (errorName(err) === 'ValidationError')
    return new UserError(
      `STS refused to assume ${role.roleArn} (${said}): check 'role-duration-seconds' against the role's maximum session duration.`,
    );
  if (err instanceof Error) {
    err.message = `Assuming ${role.roleArn}: ${err.message}`;
    return err;
  }
  return new Error(`Assuming ${role.roleArn}: ${said}`);
}
