// The IAM policy a run needs, for `dry-run: true`: the README's policies (docs/iam/, the files the e2e tests
// prove) for the features the inputs turn on, with the names the plan knows filled in. Pure: it reads the
// inputs and what the plan found, nothing else.
import codedeploy from '../docs/iam/codedeploy.json' with { type: 'json' };
import deploy from '../docs/iam/deploy.json' with { type: 'json' };
import keepRevisions from '../docs/iam/keep-revisions.json' with { type: 'json' };
import preview from '../docs/iam/preview.json' with { type: 'json' };
import push from '../docs/iam/push.json' with { type: 'json' };
import pushPublic from '../docs/iam/push-public.json' with { type: 'json' };
import rollback from '../docs/iam/rollback.json' with { type: 'json' };
import runTask from '../docs/iam/run-task.json' with { type: 'json' };
import scan from '../docs/iam/scan.json' with { type: 'json' };

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

const FILES = {
  push,
  'push-public': pushPublic,
  deploy,
  rollback,
  codedeploy,
  'run-task': runTask,
  scan,
  'keep-revisions': keepRevisions,
  preview,
} as Record<string, PolicyDocument>;
export type Feature = keyof typeof FILES;

/** What a run does, as far as IAM cares; from the inputs and the plan (pipeline.ts builds it). */
export interface RunShape {
  /** Where the image goes: private ECR or ECR Public (their IAM actions differ); false without a push. */
  push: false | 'ecr' | 'ecr-public';
  rollback: boolean;
  codeDeploy: boolean;
  runTask: boolean;
  scanGate: boolean;
  keepRevisions: boolean;
  preview: { listener: boolean; deleteImages: boolean } | undefined;
}

/** The placeholders of docs/iam, by name (`SERVICE` may stand for several services); unknown ones stay. */
export type PolicyNames = Partial<Record<string, string | string[]>>;

export function featuresOf(run: RunShape): Feature[] {
  const on: [Feature, boolean][] = [
    ['push', run.push === 'ecr'],
    ['push-public', run.push === 'ecr-public'],
    ['deploy', !run.preview],
    ['rollback', run.rollback && !run.codeDeploy && !run.preview],
    ['codedeploy', run.codeDeploy],
    ['run-task', run.runTask],
    ['scan', run.scanGate],
    ['keep-revisions', run.keepRevisions],
    ['preview', run.preview !== undefined],
  ];
  return on.filter(([, yes]) => yes).map(([feature]) => feature);
}

/** `arn:…:REGION:ACCOUNT:service/CLUSTER/SERVICE` with SERVICE = [a, b] → one ARN per service. */
function fill(text: string, names: PolicyNames): string[] {
  let out = [text];
  for (const [placeholder, value] of Object.entries(names)) {
    if (value === undefined) continue;
    const values = [value].flat();
    const re = new RegExp(`\\b${placeholder}\\b`, 'g');
    out = out.flatMap((t) => (re.test(t) ? values.map((v) => t.replace(re, v)) : [t]));
  }
  return out;
}

const fillAll = (value: string | string[], names: PolicyNames): string | string[] => {
  const all = [...new Set([value].flat().flatMap((v) => fill(v, names)))];
  return all.length === 1 ? (all[0] as string) : all;
};

function fillStatement(s: Statement, names: PolicyNames): Statement {
  const condition = s.Condition
    ? Object.fromEntries(
        Object.entries(s.Condition).map(([op, entries]) => [
          op,
          Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, fillAll(v, names)])),
        ]),
      )
    : undefined;
  return { ...s, Resource: fillAll(s.Resource, names), ...(condition ? { Condition: condition } : {}) };
}

/** Statements a run leaves out: PassRole without roles, previews' optional parts when not asked for. */
function wanted(s: Statement, run: RunShape, roleArns: string[]): boolean {
  if (s.Sid === 'PassTheTaskRoles') return roleArns.length > 0;
  if (s.Sid === 'PreviewDeleteImages') return run.preview?.deleteImages === true;
  if (s.Sid.startsWith('PreviewListener')) return run.preview?.listener === true;
  return true;
}

/** What the dry run shows: the features and their policies' union. */
export interface NeededPolicy {
  features: Feature[];
  policy: PolicyDocument;
}

/**
 * The union of the features' policies, filled; iam:PassRole names exactly `roleArns` (the task definition's
 * task and execution roles) and is left out without them.
 */
export function neededPolicy(run: RunShape, names: PolicyNames, roleArns: string[]): NeededPolicy {
  const features = featuresOf(run);
  const statements = features.flatMap((feature) =>
    (FILES[feature]?.Statement ?? [])
      .filter((s) => wanted(s, run, roleArns))
      .map((s) => {
        const filled = fillStatement(s, names);
        return s.Sid === 'PassTheTaskRoles' ? { ...filled, Resource: fillAll(roleArns, {}) } : filled;
      }),
  );
  // Sids are unique within a policy: a second statement of the same Sid gets the feature's number.
  const seen = new Map<string, number>();
  const unique = statements.map((s) => {
    const n = (seen.get(s.Sid) ?? 0) + 1;
    seen.set(s.Sid, n);
    return n === 1 ? s : { ...s, Sid: `${s.Sid}${n}` };
  });
  return { features, policy: { Version: '2012-10-17', Statement: unique } };
}
