// STS over the Query protocol: AssumeRoleWithWebIdentity (the ID token checked as AWS checks it: an IAM
// OIDC provider for its issuer, the RS256 signature against the keys the issuer's discovery document
// names, audience, expiry, then the role's trust policy), AssumeRole and GetCallerIdentity. Errors carry
// STS's own codes and wording.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { AwsError, type RequestContext } from './http.js';
import { ACCOUNT, providerName, type Iam, type Principal, type Session } from './iam.js';
import { stringParam, type QueryValue } from './query.js';
import { trustAllows } from './trust.js';

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

function invalidToken(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message);
}

/** STS's checks on the parameters every Assume* takes. */
function sessionParams(params: Record<string, QueryValue>, maxDuration: number) {
  const roleSessionName = stringParam(params, 'RoleSessionName') ?? '';
  if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName))
    throw validation(
      `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length 2-64`,
    );
  const raw = stringParam(params, 'DurationSeconds');
  const durationSeconds = raw === undefined ? 3600 : Number(raw);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900)
    throw validation(
      `1 validation error detected: Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  if (durationSeconds > maxDuration)
    throw validation(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  return { roleSessionName, durationSeconds };
}

function roleOf(iam: Iam, params: Record<string, QueryValue>) {
  const roleArn = stringParam(params, 'RoleArn') ?? '';
  const role = iam.roles.get(roleArn);
  return { roleArn, role };
}

const credentialsView = (s: Session) => ({
  AccessKeyId: s.accessKeyId,
  SecretAccessKey: s.secretAccessKey,
  SessionToken: s.sessionToken,
  Expiration: new Date(s.expiresAt),
});

const assumedRoleUser = (s: Session) => ({
  Arn: s.arn,
  AssumedRoleId: `AROA${s.role.name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(17, 'X')
    .slice(0, 17)}:${s.arn.split('/').at(-1)}`,
});

interface Jwt {
  header: { alg?: string; kid?: string };
  claims: Record<string, unknown>;
  signedPart: string;
  signature: Buffer;
}

function decodeJwt(token: string): Jwt {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  const [header, claims, signature] = parts as [string, string, string];
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Jwt['header'],
      claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>,
      signedPart: `${header}.${claims}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    throw invalidToken('The ID Token provided is not a valid JWT.');
  }
}

/** The issuer's keys, fetched as AWS fetches them: discovery document, then its jwks_uri. */
async function issuerKeys(issuer: string): Promise<(JsonWebKey & { kid?: string })[]> {
  try {
    const config = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    const jwks = (await (await fetch(config.jwks_uri)).json()) as { keys: (JsonWebKey & { kid?: string })[] };
    return jwks.keys;
  } catch {
    throw new AwsError(
      'IDPCommunicationError',
      `Couldn't retrieve verification key from your identity provider`,
    );
  }
}

/** The token's claims once AWS would trust them; the errors AWS gives otherwise. */
async function verifiedClaims(iam: Iam, token: string) {
  const jwt = decodeJwt(token);
  const iss = typeof jwt.claims.iss === 'string' ? jwt.claims.iss : '';
  const provider = iam.oidcProviders.get(iss);
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);
  const key = (await issuerKeys(iss)).find((k) => k.kid === jwt.header.kid);
  const valid =
    jwt.header.alg === 'RS256' &&
    key !== undefined &&
    verify('RSA-SHA256', Buffer.from(jwt.signedPart), createPublicKey({ key, format: 'jwk' }), jwt.signature);
  if (!valid) throw invalidToken('Token signature could not be verified');
  const aud = typeof jwt.claims.aud === 'string' ? jwt.claims.aud : '';
  if (!provider.clientIds.includes(aud)) throw invalidToken('Incorrect token audience');
  const exp = typeof jwt.claims.exp === 'number' ? jwt.claims.exp : 0;
  // The issuer stamps tokens with the real time, whatever clock the sandbox runs on.
  const now = Date.now();
  if (exp * 1000 <= now)
    throw new AwsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time ${exp}`,
    );
  return { claims: jwt.claims, provider, aud };
}

async function assumeRoleWithWebIdentity(iam: Iam, params: Record<string, QueryValue>, now: number) {
  const token = stringParam(params, 'WebIdentityToken') ?? '';
  const { role } = roleOf(iam, params);
  const { roleSessionName, durationSeconds } = sessionParams(params, role?.maxSessionDuration ?? 3600);
  const { claims, provider, aud } = await verifiedClaims(iam, token);
  const host = providerName(provider.url);
  const context: Record<string, string | undefined> = { [`${host}:aud`]: aud };
  for (const [k, v] of Object.entries(claims)) if (typeof v === 'string') context[`${host}:${k}`] = v;
  if (
    !role ||
    !trustAllows(role.trustPolicy, {
      action: 'sts:AssumeRoleWithWebIdentity',
      principal: provider.arn,
      context,
    })
  )
    throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  const session = iam.startSession(role, roleSessionName, durationSeconds, now);
  return {
    Credentials: credentialsView(session),
    SubjectFromWebIdentityToken: String(claims.sub ?? ''),
    AssumedRoleUser: assumedRoleUser(session),
    Provider: provider.arn,
    Audience: aud,
  };
}

function assumeRole(iam: Iam, caller: Principal, params: Record<string, QueryValue>, now: number) {
  const { roleArn, role } = roleOf(iam, params);
  const { roleSessionName, durationSeconds } = sessionParams(params, role?.maxSessionDuration ?? 3600);
  const externalId = stringParam(params, 'ExternalId');
  if (
    !role ||
    !trustAllows(role.trustPolicy, {
      action: 'sts:AssumeRole',
      principal: caller.arn,
      context: { 'sts:ExternalId': externalId, 'aws:PrincipalArn': caller.arn },
    })
  )
    throw new AwsError(
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  const session = iam.startSession(role, roleSessionName, durationSeconds, now);
  return { Credentials: credentialsView(session), AssumedRoleUser: assumedRoleUser(session) };
}

export async function handleSts(iam: Iam, ctx: RequestContext, caller: Principal | undefined, now: number) {
  const params = ctx.body as Record<string, QueryValue>;
  switch (ctx.operation) {
    case 'AssumeRoleWithWebIdentity':
      return assumeRoleWithWebIdentity(iam, params, now);
    case 'AssumeRole':
      if (!caller)
        throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token');
      return assumeRole(iam, caller, params, now);
    case 'GetCallerIdentity':
      return { UserId: caller?.accessKeyId ?? '', Account: ACCOUNT, Arn: caller?.arn ?? '' };
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${ctx.operation} for version 2011-06-15`);
  }
}
