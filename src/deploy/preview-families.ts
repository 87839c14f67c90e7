// Which task-definition families a closed preview registered, read from ECS rather than guessed: the preview
// service may be gone (deleted by hand), and its family is `{base family}-pr-N` of whatever family the
// task-definition input had then, which need not be the template service's. Every revision ecs-ship registers
// for a preview carries the preview tag, so a family counts as the preview's only when its newest revision
// says so: another repository's PR of the same number, or the main service, is never taken for it.
import {
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  paginateListTaskDefinitionFamilies,
  type ECSClient,
  type Tag,
} from '@aws-sdk/client-ecs';
import { accessDenied, classifyAwsError } from '../aws/errors.js';
import { allPages } from '../aws/pages.js';

/** Pure: the families that can be pull request `number`'s preview (previewFamily always ends so). */
export function candidateFamilies(families: string[], number: number): string[] {
  return families.filter((f) => f.endsWith(`-pr-${number}`));
}

async function denied<T>(doing: string, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (classifyAwsError(err) === 'denied') throw accessDenied(doing, `ecs:${action}`, err);
    throw err;
  }
}

function allFamilies(ecs: ECSClient): Promise<string[]> {
  return denied('listing task-definition families', 'ListTaskDefinitionFamilies', () =>
    allPages(
      // ALL: a family whose revisions an earlier close deregistered but could not delete is still ours.
      paginateListTaskDefinitionFamilies({ client: ecs }, { status: 'ALL' }),
      (page) => page.families,
    ),
  );
}

/** The family's newest revision, ACTIVE first (a deregistered family's newest INACTIVE one otherwise). */
async function newestRevision(ecs: ECSClient, family: string): Promise<string | undefined> {
  for (const status of ['ACTIVE', 'INACTIVE'] as const) {
    const out = await denied(`listing revisions of ${family}`, 'ListTaskDefinitions', () =>
      ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', maxResults: 1 })),
    );
    const arn = out.taskDefinitionArns?.[0];
    if (arn) return arn;
  }
  return undefined;
}

/** The families whose newest revision carries `tag` (the preview's), in the order ECS listed them. */
export async function taggedPreviewFamilies(ecs: ECSClient, number: number, tag: Tag): Promise<string[]> {
  const found: string[] = [];
  for (const family of candidateFamilies(await allFamilies(ecs), number)) {
    const arn = await newestRevision(ecs, family);
    if (!arn) continue;
    const out = await denied(`reading ${arn}`, 'DescribeTaskDefinition', () =>
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] })),
    );
    if ((out.tags ?? []).some((t) => t.key === tag.key && t.value === tag.value)) found.push(family);
  }
  return found;
}
