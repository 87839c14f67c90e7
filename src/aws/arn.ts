// Task-definition ARNs, the one place they are taken apart: `arn:aws:ecs:<region>:<account>:task-definition/
// <family>:<revision>`. Every stage and the report name revisions by them, so the parsing lives here.

const TASK_DEFINITION_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
const FAMILY_REVISION = /([A-Za-z0-9_-]+):(\d+)$/;

/** The account of any ARN (`arn:aws:ecs:eu-west-1:123456789012:service/...` → `123456789012`). */
export function accountOf(arn: string | undefined): string | undefined {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn ?? '')?.[1];
}

/** The name in a target group's ARN (`…:targetgroup/NAME/ID`); undefined for anything else. */
export function targetGroupNameOf(arn: string | undefined): string | undefined {
  return /:targetgroup\/([^/]+)\/[^/]+$/.exec(arn ?? '')?.[1];
}

/** A full task-definition ARN, as `task-definition` may give one. */
export function isTaskDefinitionArn(text: string): boolean {
  return TASK_DEFINITION_ARN.test(text);
}

/** `arn:...:task-definition/web:7` → `web:7`; anything else is shown as given. */
export function revisionName(taskDefinition: string | undefined): string {
  if (!taskDefinition) return 'an unknown revision';
  const slash = taskDefinition.lastIndexOf('/');
  return slash >= 0 ? taskDefinition.slice(slash + 1) : taskDefinition;
}

/** `arn:…:task-definition/web:7` (or `web:7`) → { family: 'web', revision: 7 }; undefined for anything else. */
export function parseRevision(
  taskDefinition: string | undefined,
): { family: string; revision: number } | undefined {
  const m = FAMILY_REVISION.exec(revisionName(taskDefinition));
  return m ? { family: m[1] as string, revision: Number(m[2]) } : undefined;
}
