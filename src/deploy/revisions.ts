import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  paginateListServices,
  paginateListTaskDefinitions,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { errorName } from '../aws/errors.js';
import { allPages } from '../aws/pages.js';
import { errorMessage } from '../errors.js';
import { parseRevision, revisionName } from '../aws/arn.js';

export interface CleanupPlan {
  /** Newest first. */
  keep: string[];
  /** Newest first. */
  remove: string[];
}

/**
 * Which ACTIVE revisions of `family` to deregister: all but the newest `keep`, and never one in use.
 * Pure. ListTaskDefinitions' familyPrefix is a prefix, so other families (`web-worker` for `web`) are
 * filtered out here, and the order is by revision number whatever order the API returned.
 */
export function planCleanup(args: {
  family: string;
  revisions: string[];
  keep: number;
  inUse: Iterable<string>;
}): CleanupPlan {
  const used = new Set([...args.inUse].map(revisionName));
  const ours = args.revisions
    .map((arn) => ({ arn, parsed: parseRevision(arn) }))
    .filter((r) => r.parsed?.family === args.family)
    .sort((a, b) => (b.parsed?.revision ?? 0) - (a.parsed?.revision ?? 0));
  const plan: CleanupPlan = { keep: [], remove: [] };
  ours.forEach((r, i) => {
    if (i < args.keep || used.has(revisionName(r.arn))) plan.keep.push(r.arn);
    else plan.remove.push(r.arn);
  });
  return plan;
}

export interface CleanupResult {
  deregistered: string[];
  kept: string[];
  /** What went wrong; a cleanup problem never fails a deploy that succeeded. */
  warnings: string[];
}

function activeRevisions(ecs: ECSClient, family: string): Promise<string[]> {
  return allPages(
    paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' }),
    (page) => page.taskDefinitionArns,
  );
}

/** Every revision a service of the cluster runs or still drains (all deployments, not only PRIMARY). */
export async function revisionsInUse(ecs: ECSClient, cluster: string): Promise<Set<string>> {
  const services = await allPages(
    paginateListServices({ client: ecs }, { cluster }),
    (page) => page.serviceArns,
  );
  const used = new Set<string>();
  for (let i = 0; i < services.length; i += 10) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10) }));
    for (const s of out.services ?? []) {
      if (s.taskDefinition) used.add(s.taskDefinition);
      for (const d of s.deployments ?? []) if (d.taskDefinition) used.add(d.taskDefinition);
    }
  }
  return used;
}

function problem(what: string, err: unknown): string {
  return `${what}: ${errorName(err)}: ${errorMessage(err)}`;
}

/**
 * Deregisters old ACTIVE revisions of `family` after a successful deploy, keeping the newest `keep` and
 * every revision a service in `cluster` uses. Services in other clusters are not seen. Never throws: what
 * fails becomes a warning, and when the services cannot be listed nothing is deregistered at all.
 */
export async function cleanupRevisions(
  ecs: ECSClient,
  args: { cluster: string; family: string; keep: number },
  log: (line: string) => void,
): Promise<CleanupResult> {
  const result: CleanupResult = { deregistered: [], kept: [], warnings: [] };
  let plan: CleanupPlan;
  try {
    const [revisions, inUse] = await Promise.all([
      activeRevisions(ecs, args.family),
      revisionsInUse(ecs, args.cluster),
    ]);
    plan = planCleanup({ family: args.family, revisions, keep: args.keep, inUse });
  } catch (err) {
    result.warnings.push(problem('Revision cleanup skipped, nothing deregistered', err));
    return result;
  }
  result.kept = plan.keep;
  log(
    `Keeping ${plan.keep.map(revisionName).join(', ') || 'nothing'} ` +
      `(newest ${args.keep}, and any a service in cluster ${args.cluster} uses)`,
  );
  for (const arn of plan.remove) {
    try {
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      result.deregistered.push(arn);
      log(`Deregistered ${revisionName(arn)}`);
    } catch (err) {
      result.warnings.push(problem(`Could not deregister ${revisionName(arn)}`, err));
    }
  }
  if (plan.remove.length === 0) log(`No revision of ${args.family} to deregister`);
  return result;
}
