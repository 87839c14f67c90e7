// IAM as the sandbox's services see it: who signed a call (a user's keys or a role session's, checked by
// SigV4), whether that session has expired, and whether the caller may call the operation. Roles carry a
// real trust policy document (evaluated in trust.ts) and an allow list of actions.
import { randomBytes } from 'node:crypto';
import { AwsError, type RequestContext } from './http.js';
import { signatureMatches } from './sigv4.js';
import type { TrustPolicy } from './trust.js';
import {
  deniedMessage,
  evaluate,
  statementsOf,
  type AccessRequest,
  type PolicyDocument,
} from './iam-policy.js';

export const ACCOUNT = '123456789012';

/** The long-lived keys every sandbox client signs with unless a test says otherwise. */
export const SANDBOX_USER = {
  accessKeyId: 'AKIASANDBOX000000000',
  secretAccessKey: 'sandbox-secret-access-key',
  arn: `arn:aws:iam::${ACCOUNT}:user/sandbox`,
} as const;

interface User {
  arn: string;
  secretAccessKey: string;
}

export interface Role {
  name: string;
  /** IAM's path, `/` or `/team/deploy/`: part of the role's ARN, absent from its sessions' ARNs. */
  path: string;
  arn: string;
  trustPolicy: TrustPolicy;
  /** IAM action patterns the role's policies allow, e.g. `['ecs:*', 'ecr:GetAuthorizationToken']`; default all. */
  allow: string[];
  /** MaxSessionDuration, seconds (IAM's default: 1 hour). */
  maxSessionDuration: number;
}

interface OidcProvider {
  /** `https://token.actions.githubusercontent.com` (here `http://127.0.0.1:PORT`): the tokens' `iss`. */
  url: string;
  arn: string;
  clientIds: string[];
}

/** Temporary credentials handed out by STS. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Real epoch ms: the sandbox's lifetime divided by its time scale. */
  expiresAt: number;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  arn: string;
  role: Role;
}

/** Who signed a call. */
export interface Principal {
  arn: string;
  accessKeyId: string;
  role?: Role;
}

export interface AddRoleOptions {
  trustPolicy: TrustPolicy;
  /** `/team/deploy/` makes `arn:aws:iam::ACCOUNT:role/team/deploy/NAME`; default `/`. */
  path?: string;
  allow?: string[];
  /** Identity policies of the role, evaluated for every call its sessions sign (policy mode). */
  policies?: PolicyDocument[];
  maxSessionDuration?: number;
}

/** `ecs:Update*` matches `ecs:UpdateService`; IAM's wildcards are `*` and `?`, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}

/** The host and path of an issuer URL: how IAM names an OIDC provider and its condition keys. */
export function providerName(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

const newKeyId = (prefix: string) => `${prefix}${randomBytes(8).toString('hex').toUpperCase()}`;

export class Iam {
  readonly users = new Map<string, User>([
    [SANDBOX_USER.accessKeyId, { arn: SANDBOX_USER.arn, secretAccessKey: SANDBOX_USER.secretAccessKey }],
  ]);
  readonly roles = new Map<string, Role>();
  readonly oidcProviders = new Map<string, OidcProvider>();
  readonly sessions = new Map<string, Session>();
  /**
   * Policy mode: identity policies by user or role ARN. A principal with any is held to them on every
   * call (iam-policy.ts evaluates them, iam-resources.ts says what each call acts on); one without any may
   * do anything, as before.
   */
  readonly policies = new Map<string, PolicyDocument[]>();
  /**
   * Sandbox seconds a new session lasts, whatever DurationSeconds asked (undefined: as asked), so a test
   * can have keys expire in the middle of a rollout.
   */
  sessionLifetime: number | undefined;

  constructor(private readonly timeScale: number) {}

  addUser(name: string): { accessKeyId: string; secretAccessKey: string; arn: string } {
    const keys = { accessKeyId: newKeyId('AKIA'), secretAccessKey: randomBytes(30).toString('base64') };
    const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
    this.users.set(keys.accessKeyId, { arn, secretAccessKey: keys.secretAccessKey });
    return { ...keys, arn };
  }

  addRole(name: string, opts: AddRoleOptions): Role {
    const path = opts.path ?? '/';
    const role: Role = {
      name,
      path,
      arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
      trustPolicy: opts.trustPolicy,
      allow: opts.allow ?? ['*'],
      maxSessionDuration: opts.maxSessionDuration ?? 3600,
    };
    this.roles.set(role.arn, role);
    for (const policy of opts.policies ?? []) this.attachPolicy(role.arn, policy);
    return role;
  }

  addOidcProvider(url: string, clientIds: string[] = ['sts.amazonaws.com']): OidcProvider {
    const provider = {
      url,
      arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${providerName(url)}`,
      clientIds,
    };
    this.oidcProviders.set(url, provider);
    return provider;
  }

  /** A new session for the role, lasting `sessionLifetime` (else `durationSeconds`) sandbox seconds. */
  startSession(role: Role, sessionName: string, durationSeconds: number, now: number): Session {
    const lifetime = this.sessionLifetime ?? durationSeconds;
    const session: Session = {
      accessKeyId: newKeyId('ASIA'),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiresAt: now + (lifetime * 1000) / this.timeScale,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${sessionName}`,
      role,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /**
   * Who signed the call, or the error AWS answers: an unknown key, an expired session, a signature that
   * does not match. Unsigned calls are refused unless the operation is one AWS takes unsigned.
   */
  async authenticate(ctx: RequestContext, now: number): Promise<Principal | undefined> {
    if (
      !ctx.wire.headers.authorization &&
      ctx.service === 'sts' &&
      ctx.operation === 'AssumeRoleWithWebIdentity'
    )
      return undefined;
    const keyId = ctx.accessKeyId;
    const user = keyId ? this.users.get(keyId) : undefined;
    const session = keyId ? this.sessions.get(keyId) : undefined;
    if (!keyId || (!user && !session))
      throw new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    if (session) {
      if (ctx.wire.headers['x-amz-security-token'] !== session.sessionToken)
        throw new AwsError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      // STS's own code for it (ExpiredTokenException there means an expired ID token).
      if (now >= session.expiresAt)
        throw new AwsError(
          ctx.protocol === 'query' ? 'ExpiredToken' : 'ExpiredTokenException',
          'The security token included in the request is expired',
        );
    }
    const secretAccessKey = user?.secretAccessKey ?? session?.secretAccessKey ?? '';
    const valid = await signatureMatches(ctx.wire, {
      accessKeyId: keyId,
      secretAccessKey,
      ...(session ? { sessionToken: session.sessionToken } : {}),
    });
    if (!valid)
      throw new AwsError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        403,
      );
    return session
      ? { arn: session.arn, accessKeyId: keyId, role: session.role }
      : { arn: user?.arn ?? '', accessKeyId: keyId };
  }

  /** Attaches an identity policy to a user or role ARN; throws for what the sandbox cannot evaluate. */
  attachPolicy(arn: string, policy: PolicyDocument): void {
    statementsOf(policy);
    this.policies.set(arn, [...(this.policies.get(arn) ?? []), policy]);
  }

  /** The identity policies that govern a principal: a session's are its role's. */
  policiesOf(principal: Principal | undefined): PolicyDocument[] | undefined {
    return principal ? this.policies.get(principal.role?.arn ?? principal.arn) : undefined;
  }

  /**
   * AccessDenied when the caller's role allows no pattern matching `service:Operation`, or, in policy mode,
   * when its policies do not allow one of the questions the call asks (`requests`).
   */
  authorize(principal: Principal | undefined, action: string, requests: AccessRequest[] = []): void {
    // GetCallerIdentity needs no permission, in AWS as here.
    if (action === 'sts:GetCallerIdentity') return;
    if (principal?.role && !principal.role.allow.some((p) => actionMatches(p, action)))
      throw accessDeniedFor(principal.arn, action);
    const policies = this.policiesOf(principal);
    if (!principal || !policies) return;
    for (const request of requests) {
      const decision = evaluate(policies, request);
      if (decision !== 'allowed')
        throw new AwsError('AccessDeniedException', deniedMessage(principal.arn, request, decision));
    }
  }
}

/** IAM's wording, which names the action a policy must allow. */
export function accessDeniedFor(arn: string, action: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `User: ${arn} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
  );
}
