// IAM's identity-policy evaluation, the part a deploy role meets: Action / NotAction and Resource /
// NotResource with `*` and `?`, the Condition operators below, and an explicit Deny over any Allow. A policy
// using anything else (another operator, a condition key the sandbox never sets, a Principal) is refused
// when it is attached, so a test never passes on a statement the sandbox silently ignored.

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement | PolicyStatement[];
}

/** One question IAM answers per call: may the caller do `action` on `resource`, given `context`? */
export interface AccessRequest {
  action: string;
  resource: string;
  /** Condition keys the request sets, e.g. `{ 'ecs:cluster': 'arn:…:cluster/web' }`. */
  context?: Record<string, string>;
}

export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny';

const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'] as const;
const ARN_OPERATORS = ['ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike'] as const;
/** The condition keys some sandbox request sets (iam-resources.ts); a policy naming another is refused. */
const CONDITION_KEYS = ['ecs:cluster', 'ecs:CreateAction', 'iam:PassedToService'];

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** IAM's wildcards: `*` any run, `?` one character; actions are case-insensitive, ARNs are not. */
function wildcardMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's').test(value);
}

/** The statements of a policy, checked: throws naming what the sandbox does not evaluate. */
export function statementsOf(doc: PolicyDocument): PolicyStatement[] {
  if (doc.Version !== '2012-10-17')
    throw new Error(`policy Version must be "2012-10-17", got ${doc.Version}`);
  const statements = [doc.Statement].flat();
  for (const s of statements) {
    const where = s.Sid ? `statement ${s.Sid}` : 'a statement';
    const keys = Object.keys(s).filter(
      (k) => !['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k),
    );
    if (keys.length > 0) throw new Error(`${where}: the sandbox does not evaluate ${keys.join(', ')}`);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw new Error(`${where}: Effect must be Allow or Deny`);
    if ((s.Action === undefined) === (s.NotAction === undefined))
      throw new Error(`${where}: needs exactly one of Action and NotAction`);
    if ((s.Resource === undefined) === (s.NotResource === undefined))
      throw new Error(`${where}: needs exactly one of Resource and NotResource`);
    for (const [op, entries] of Object.entries(s.Condition ?? {})) {
      const base = op.replace(/IfExists$/, '');
      if (![...OPERATORS, ...ARN_OPERATORS].includes(base as (typeof OPERATORS)[number]))
        throw new Error(`${where}: the sandbox does not evaluate the condition operator ${op}`);
      for (const key of Object.keys(entries))
        if (!CONDITION_KEYS.includes(key))
          throw new Error(
            `${where}: no sandbox request sets the condition key ${key} (${CONDITION_KEYS.join(', ')} only)`,
          );
    }
  }
  return statements;
}

function conditionHolds(op: string, expected: string[], actual: string | undefined): boolean {
  const ifExists = op.endsWith('IfExists');
  const base = op.replace(/IfExists$/, '');
  const negated = base.includes('Not');
  // A key the request lacks: false for a positive operator, true for a negated one (and for ...IfExists).
  if (actual === undefined) return ifExists || negated;
  const like = base.endsWith('Like') || base.startsWith('Arn');
  const any = expected.some((e) => (like ? wildcardMatches(e, actual) : e === actual));
  return negated ? !any : any;
}

function applies(s: PolicyStatement, req: AccessRequest): boolean {
  const actionHit = (patterns: string[]) => patterns.some((p) => wildcardMatches(p, req.action, true));
  const resourceHit = (patterns: string[]) => patterns.some((p) => wildcardMatches(p, req.resource));
  if (s.Action !== undefined ? !actionHit(list(s.Action)) : actionHit(list(s.NotAction))) return false;
  if (s.Resource !== undefined ? !resourceHit(list(s.Resource)) : resourceHit(list(s.NotResource)))
    return false;
  return Object.entries(s.Condition ?? {}).every(([op, entries]) =>
    Object.entries(entries).every(([key, expected]) =>
      conditionHolds(op, list(expected), req.context?.[key]),
    ),
  );
}

/** IAM's answer for identity policies alone: an explicit Deny wins, else an Allow, else denied. */
export function evaluate(policies: PolicyDocument[], req: AccessRequest): Decision {
  const hits = policies.flatMap(statementsOf).filter((s) => applies(s, req));
  if (hits.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return hits.some((s) => s.Effect === 'Allow') ? 'allowed' : 'implicit-deny';
}

/** The message every service here sends with AccessDenied(Exception), naming the action a policy must allow. */
export function deniedMessage(principalArn: string, req: AccessRequest, decision: Decision): string {
  const why =
    decision === 'explicit-deny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${req.action} action`;
  return `User: ${principalArn} is not authorized to perform: ${req.action} on resource: ${req.resource} ${why}`;
}
