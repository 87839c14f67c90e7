// The role the step assumes itself (`role-to-assume`): one provider every client shares, so the whole step
// holds one set of keys, renewed before STS's Expiration however short it is, and never leaves the process
// (no GITHUB_ENV, no argv). The SDK's fromWebToken/fromTemporaryCredentials would do the calls, but the
// clients' own cache renews only inside a fixed 5-minute window (a session shorter than that would be
// assumed again on every call) and says nothing when it renews; this keeps the renewal to one per session
// and one log line.
import type { STSClient } from '@aws-sdk/client-sts';
import { UserError } from '../errors.js';
import type { RoleInputs } from '../inputs/credentials.js';
import { mask, type Logger } from '../report/log.js';
import { fetchIdToken } from './id-token.js';
import { explainStsRefusal } from './sts-errors.js';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * The step's keys; `renew(used, refused)` assumes the role again at once when AWS refused `used` (an access key id) as
 * expired before its Expiration (a revoked session, a skewed clock): callers that share one refusal share
 * one renewal, and a caller whose keys were already replaced gets the new ones without another.
 */
export type CredentialProvider = (() => Promise<Credentials>) & {
  renew: (used: string | undefined, refused: string) => Promise<Credentials>;
  roleArn: string;
};

interface Deps {
  sts: () => Promise<STSClient>;
  log: Pick<Logger, 'info'>;
  now?: () => number;
  idToken?: typeof fetchIdToken;
}

/** Renew this long before expiry: half the session, at most 5 minutes (the SDK's own margin). */
export function renewAt(obtainedAt: number, expiration: number): number {
  return expiration - Math.min(5 * 60_000, Math.max(0, expiration - obtainedAt) / 2);
}

async function assume(role: RoleInputs, sts: STSClient, idToken: typeof fetchIdToken): Promise<Credentials> {
  const { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand } = await import('@aws-sdk/client-sts');
  const common = {
    RoleArn: role.roleArn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.durationSeconds,
  };
  const { source } = role;
  let token: string | undefined;
  try {
    if (source.kind === 'web-identity') {
      token = await idToken(source);
      const out = await sts.send(
        new AssumeRoleWithWebIdentityCommand({ ...common, WebIdentityToken: token }),
      );
      return keysOf(out.Credentials);
    }
    const out = await sts.send(
      new AssumeRoleCommand({ ...common, ...(source.externalId ? { ExternalId: source.externalId } : {}) }),
    );
    return keysOf(out.Credentials);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw explainStsRefusal(err, role, token);
  }
}

interface StsKeys {
  AccessKeyId?: string | undefined;
  SecretAccessKey?: string | undefined;
  SessionToken?: string | undefined;
  Expiration?: Date | undefined;
}

function keysOf(c: StsKeys | undefined): Credentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
    throw new Error('STS answered without credentials');
  // Masked before anything could print them, whatever happens next.
  mask(c.SecretAccessKey);
  mask(c.SessionToken);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

/**
 * The step's credentials: assumed on first use, shared by concurrent callers, assumed again (a new ID token
 * first) once `renewAt` has passed.
 */
export function roleCredentials(role: RoleInputs, deps: Deps): CredentialProvider {
  const now = deps.now ?? Date.now;
  let current: Promise<Credentials> | undefined;
  let due = 0;
  const refresh = (refused?: string): Promise<Credentials> => {
    const obtainedAt = now();
    const first = current === undefined;
    // Callers arriving while STS answers share this renewal.
    due = Infinity;
    const next = deps.sts().then((sts) => assume(role, sts, deps.idToken ?? fetchIdToken));
    current = next.then((c) => {
      due = renewAt(obtainedAt, c.expiration.getTime());
      if (refused) {
        deps.log.info(
          `AWS refused the keys of ${role.roleArn} as expired (${refused}) before their expiry; assumed the role again (the new keys expire at ${c.expiration.toISOString()}) and retried the call.`,
        );
      } else if (!first) {
        deps.log.info(
          `Renewed the credentials of ${role.roleArn} before they expired; the new ones expire at ${c.expiration.toISOString()}.`,
        );
      }
      return c;
    });
    // A failed renewal is tried again on the next call, not remembered.
    current.catch(() => {
      due = 0;
    });
    return current;
  };
  const provider = () => (current === undefined || now() >= due ? refresh() : current);
  const renew = async (used: string | undefined, refused: string): Promise<Credentials> => {
    const held = current && (await current.catch(() => undefined));
    if (held && used !== undefined && held.accessKeyId !== used) return held;
    // Already renewing (due is Infinity while STS answers): share it.
    return current !== undefined && due === Infinity ? current : refresh(refused);
  };
  return Object.assign(provider, { renew, roleArn: role.roleArn });
}
