import { DescribeTasksCommand, ListTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { sameTaskDefinition } from './rollout/identify.js';

/** The image a container of the deployed revision was given, and its digest where known. */
export interface ContainerImage {
  container: string;
  image: string;
  /** From the reference (`…@sha256:…`) or, for a tag, from what ECS reports its tasks pulled. */
  digest: string | undefined;
}

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** container name → imageDigest, from the service's running tasks of the revision (DescribeTasks). */
async function reportedDigests(
  ecs: ECSClient,
  where: { cluster: string; service: string; taskDefinitionArn: string },
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const serviceName = where.service.slice(where.service.lastIndexOf('/') + 1);
  const listed = await ecs.send(
    new ListTasksCommand({ cluster: where.cluster, serviceName, desiredStatus: 'RUNNING', maxResults: 100 }),
  );
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return found;
  const described = await ecs.send(new DescribeTasksCommand({ cluster: where.cluster, tasks: arns }));
  for (const task of described.tasks ?? []) {
    if (!sameTaskDefinition(task.taskDefinitionArn, where.taskDefinitionArn)) continue;
    for (const c of task.containers ?? []) {
      if (c.name && c.imageDigest && !found.has(c.name)) found.set(c.name, c.imageDigest);
    }
  }
  return found;
}

/**
 * For the summary when nothing was pushed (`name=IMAGE` lines, a reused revision): each updated container's
 * image as the revision names it, with the digest from the reference or from the tasks ECS runs. A summary
 * cell is not worth failing a deploy for: a refused or failed look-up leaves the digest unknown.
 */
export async function containerImages(
  ecs: ECSClient,
  args: {
    cluster: string;
    services: string[];
    taskDefinitionArn: string;
    /** The updated containers as the registered revision names them (taskdef/containers.ts reads them). */
    given: Array<{ name: string; image: string }>;
  },
): Promise<ContainerImage[]> {
  const images: ContainerImage[] = args.given.map((d) => ({
    container: d.name,
    image: d.image,
    digest: DIGEST.exec(d.image)?.[1],
  }));
  for (const service of args.services) {
    if (images.every((i) => i.digest !== undefined)) break;
    const where = { cluster: args.cluster, service, taskDefinitionArn: args.taskDefinitionArn };
    const digests = await reportedDigests(ecs, where).catch(() => new Map<string, string>());
    for (const i of images) i.digest ??= digests.get(i.container);
  }
  return images;
}
