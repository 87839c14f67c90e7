import { readPolicyFiles } from '../../scripts/readme-policies.js';
import type { AwsSandbox } from '../../sandbox/server.js';
import { ACCOUNT } from '../../sandbox/iam.js';
import type { PolicyDocument } from '../../sandbox/iam-policy.js';
import { ROOT } from '../../sandbox/runner.js';

/** Helpers for the IAM e2e tests: the README's policies (docs/iam/) filled with the sandbox's names. */

const files = await readPolicyFiles(ROOT);

/** A docs/iam file with its placeholders filled; a placeholder not given stays (and so matches nothing). */
export function policy(name: string, names: Record<string, string>): PolicyDocument {
  const text = JSON.stringify(files.get(name));
  if (text === undefined) throw new Error(`no docs/iam/${name}.json`);
  const all: Record<string, string> = { REGION: 'us-east-1', ACCOUNT, ...names };
  return JSON.parse(text.replace(/\b[A-Z][A-Z_]{2,}\b/g, (p) => all[p] ?? p)) as PolicyDocument;
}

/** The same policy without one action wherever a statement lists it. */
export function without(doc: PolicyDocument, action: string): PolicyDocument {
  const statements = [doc.Statement].flat().map((s) => ({
    ...s,
    ...(Array.isArray(s.Action) ? { Action: s.Action.filter((a) => a !== action) } : {}),
  }));
  return { ...doc, Statement: statements };
}

/** From now on the principal may do exactly what these policies allow. */
export function holdTo(aws: AwsSandbox, arn: string, policies: PolicyDocument[]): void {
  aws.iam.policies.delete(arn);
  for (const p of policies) aws.iam.attachPolicy(arn, p);
}

/**
 * What the sandbox refused the principal since request `since`: empty when the documented policy was
 * enough. The policy simulator is the exception: the documented policies leave it out on purpose, and the
 * step skips its check when refused.
 */
export const refusedSince = (aws: AwsSandbox, arn: string, since: number) =>
  aws.requests
    .slice(since)
    .filter((r) => r.principal === arn && r.fault && r.operation !== 'SimulatePrincipalPolicy')
    .map((r) => `${r.service}:${r.operation} ${r.fault ?? ''}`);

/** The names the policies' placeholders stand for, for a service of that name everywhere. */
export const namesFor = (service: string): Record<string, string> => ({
  CLUSTER: 'default',
  SERVICE: service,
  FAMILY: service,
  REPOSITORY: service,
  TASK_ROLE: `${service}-task`,
  EXECUTION_ROLE: `${service}-execution`,
});

/** What a dry run printed: its `IAM policy this run needs (features; …):` line and the policy after it. */
export function printedPolicy(stdout: string): { heading: string; policy: PolicyDocument } {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith('IAM policy this run needs'));
  if (start < 0) throw new Error('the dry run printed no IAM policy');
  const end = lines.indexOf('}', start);
  const policy = JSON.parse(lines.slice(start + 1, end + 1).join('\n')) as PolicyDocument;
  return { heading: lines[start] ?? '', policy };
}
