import {
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import { classifyAwsError, errorName } from '../aws/errors.js';

/** Registers the rendered task definition; ECS's rejection of it is the user's to fix, so one line. */
export async function registerTaskDefinition(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<{ arn: string; family: string; revision: number }> {
  let out;
  try {
    out = await ecs.send(new RegisterTaskDefinitionCommand(input));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const kind = classifyAwsError(err);
    if (kind === 'denied') {
      // PassRole is the usual culprit when the task or execution role is set.
      throw new UserError(
        `Access denied registering task definition '${input.family ?? '?'}': allow ecs:RegisterTaskDefinition ` +
          `(and iam:PassRole on its task and execution roles) (${message})`,
      );
    }
    if (kind === 'transient') throw err;
    throw new UserError(
      `ECS rejected task definition '${input.family ?? '?'}': ${errorName(err)}: ${message.replace(/\s+/g, ' ')}`,
    );
  }
  const td = out.taskDefinition;
  if (!td?.taskDefinitionArn || !td.family || td.revision === undefined) {
    throw new Error('RegisterTaskDefinition returned no task definition ARN, family or revision');
  }
  return { arn: td.taskDefinitionArn, family: td.family, revision: td.revision };
}
