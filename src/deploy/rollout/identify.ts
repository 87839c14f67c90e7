import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { revisionName } from '../../aws/arn.js';
import type { RolloutTarget } from './verdict.js';

/**
 * Family:revision comparison, because a service may report the task definition as a full ARN while
 * the target holds the ARN RegisterTaskDefinition returned (same thing) — or, from a user-provided
 * input, `family:rev`.
 */
export function sameTaskDefinition(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a === b || revisionName(a) === revisionName(b);
}

export function primaryDeployment(service: Service | undefined): Deployment | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}

/** Our deployment: by id when UpdateService told us, else the newest with our task definition. */
export function ourDeployment(service: Service | undefined, target: RolloutTarget): Deployment | undefined {
  const deployments = service?.deployments ?? [];
  if (target.deploymentId) {
    const byId = deployments.find((d) => d.id === target.deploymentId);
    if (byId) return byId;
  }
  return deployments
    .filter((d) => sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn))
    .sort((x, y) => (y.createdAt?.getTime() ?? 0) - (x.createdAt?.getTime() ?? 0))[0];
}

// Runners and AWS keep NTP time: a deployment made more than this before the update began is not ours.
const NEW_SKEW_MS = 5_000;

/**
 * Whether a deployment is the one this step started: ours, made since the update began, and not on the
 * watch of a rollback (that revision is the old one). A no-op update leaves the old deployment PRIMARY:
 * it has our task definition but is older than the step.
 */
export function isNewDeployment(d: Deployment, target: RolloutTarget): boolean {
  if (target.rollbackOf || !sameTaskDefinition(d.taskDefinition, target.taskDefinitionArn)) return false;
  if (target.deploymentId && d.id && d.id !== target.deploymentId) return false;
  const created = d.createdAt?.getTime();
  return created === undefined || created >= target.startedAt.getTime() - NEW_SKEW_MS;
}

/** What the service runs now, for "rolled back to ..." when ours is no longer PRIMARY. */
export function currentRevision(service: Service | undefined, target: RolloutTarget): string | undefined {
  const primary = primaryDeployment(service);
  if (primary && !sameTaskDefinition(primary.taskDefinition, target.taskDefinitionArn)) {
    return revisionName(primary.taskDefinition);
  }
  return undefined;
}
