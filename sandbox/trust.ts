// A role's trust policy, in IAM's own document shape, and the part of IAM's evaluation STS needs: who may
// assume the role (Principal), with which action, under which conditions (StringEquals / StringLike and
// their negations, on `<provider>:sub`, `<provider>:aud`, `sts:ExternalId` …).
import { actionMatches } from './iam.js';

type OneOrMany = string | string[];

interface TrustStatement {
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { Federated?: OneOrMany; AWS?: OneOrMany; Service?: OneOrMany };
  Action: OneOrMany;
  Condition?: Record<string, Record<string, OneOrMany>>;
}

export interface TrustPolicy {
  Version?: string;
  Statement: TrustStatement[];
}

export interface TrustRequest {
  action: 'sts:AssumeRoleWithWebIdentity' | 'sts:AssumeRole';
  /** The OIDC provider's ARN (web identity), or the caller's ARN (AssumeRole). */
  principal: string;
  /** Condition keys and their values for this request, e.g. `{ 'host:sub': 'repo:org/app:ref:refs/heads/main' }`. */
  context: Record<string, string | undefined>;
}

const many = (v: OneOrMany | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const like = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringLike: like,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
};

/** One operator block: every key must hold (a missing key fails, except for the Not operators). */
function conditionHolds(
  operator: string,
  block: Record<string, OneOrMany>,
  ctx: TrustRequest['context'],
): boolean {
  const negated = /^StringNot/.test(operator);
  const test = OPERATORS[operator.replace(/^StringNot/, 'String')];
  if (!test) return false; // An operator IAM has and the sandbox does not: never grants.
  return Object.entries(block).every(([key, patterns]) => {
    const value = ctx[key];
    if (value === undefined) return negated;
    const matched = many(patterns).some((p) => test(p, value));
    return negated ? !matched : matched;
  });
}

/** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` is named in a policy by the role's ARN. */
function principalNames(caller: string): string[] {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller);
  const account = m?.[1] ?? /^arn:aws:iam::(\d{12}):/.exec(caller)?.[1];
  return [
    caller,
    ...(m ? [`arn:aws:iam::${m[1]}:role/${m[2]}`] : []),
    ...(account ? [account, `arn:aws:iam::${account}:root`] : []),
  ];
}

function principalMatches(statement: TrustStatement, request: TrustRequest): boolean {
  if (statement.Principal === '*') return true;
  if (request.action === 'sts:AssumeRoleWithWebIdentity')
    return many(statement.Principal.Federated).includes(request.principal);
  const names = principalNames(request.principal);
  return many(statement.Principal.AWS).some((p) => p === '*' || names.includes(p));
}

function statementApplies(statement: TrustStatement, request: TrustRequest): boolean {
  return (
    many(statement.Action).some((a) => actionMatches(a, request.action)) &&
    principalMatches(statement, request) &&
    Object.entries(statement.Condition ?? {}).every(([op, block]) =>
      conditionHolds(op, block, request.context),
    )
  );
}

/** IAM's rule: an explicit Deny wins, else some Allow must apply. */
export function trustAllows(policy: TrustPolicy, request: TrustRequest): boolean {
  const applying = policy.Statement.filter((s) => statementApplies(s, request));
  return !applying.some((s) => s.Effect === 'Deny') && applying.some((s) => s.Effect === 'Allow');
}

/**
 * The trust policy GitHub's and AWS's guides give for Actions OIDC: the provider as Federated principal,
 * `aud` equal to the audience and `sub` like the given pattern (e.g. `repo:org/app:*`).
 */
export function gitHubTrustPolicy(
  providerArn: string,
  opts: { sub: OneOrMany; aud?: OneOrMany },
): TrustPolicy {
  const host = providerArn.replace(/^arn:aws:iam::\d{12}:oidc-provider\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${host}:aud`]: opts.aud ?? 'sts.amazonaws.com' },
          StringLike: { [`${host}:sub`]: opts.sub },
        },
      },
    ],
  };
}

/** Trusts the given principals (ARNs or account ids) for AssumeRole, optionally only with an external id. */
export function accountTrustPolicy(principals: OneOrMany, externalId?: string): TrustPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principals },
        Action: 'sts:AssumeRole',
        ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
      },
    ],
  };
}
