import {
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import { accessDenied, classifyAwsError, describeAwsError } from '../aws/errors.js';

/** Registers the rendered task definition; ECS's rejection of it is the user's to fix, so one line. */
export async function registerTaskDefinition(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<{ arn: string; family: string; revision: number }> {
  let out;
  try {
    out = await ecs.send(new RegisterTaskDefinitionCommand(input));
  } catch (err) {
    const what = `task definition '${input.family ?? '?'}'`;
    const kind = classifyAwsError(err);
    if (kind === 'denied') {
      // PassRole is the usual culprit when the task or execution role is set.
      const action = 'ecs:RegisterTaskDefinition (and iam:PassRole on its task and execution roles)';
      throw accessDenied(`registering ${what}`, action, err);
    }
    if (kind === 'transient') throw err;
    throw new UserError(`ECS rejected ${what}: ${describeAwsError(err)}`);
  }
  const td = out.taskDefinition;
  if (!td?.taskDefinitionArn || !td.family || td.revision === undefined) {
    throw new Error('RegisterTaskDefinition returned no task definition ARN, family or revision');
  }
  return { arn: td.taskDefinitionArn, family: td.family, revision: td.revision };
}
