import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeError } from '../../errors.js';
import { createCodeDeployClient } from '../../aws/clients.js';
import { Poller, waitOptions, type PollOptions } from '../../poll/poller.js';
import { CodeDeployEvidence } from './evidence.js';
import { revisionName } from '../../aws/arn.js';
import type { RollbackMode } from '../rollback.js';
import { loadBalancerInfo } from '../strategy.js';
import type { RolloutResult } from '../rollout/watch.js';
import { CodeDeployWatch, finish } from './watch.js';

/**
 * Services with the CODE_DEPLOY deployment controller: UpdateService cannot change their task definition, so
 * the step creates a CodeDeploy deployment whose AppSpec points at the new revision (here) and polls
 * GetDeployment (and the deployment's ECS target for lifecycle events and traffic) until CodeDeploy's verdict
 * (watch.ts; verdict.ts reads the answers). The SDK is loaded only for such services.
 */

/** The AppSpec CodeDeploy's ECS blue/green deployment takes, as the JSON string CreateDeployment carries. */
export function appSpecContent(taskDefinitionArn: string, service: Service): string {
  const lb = loadBalancerInfo(service);
  return JSON.stringify({
    version: '0.0',
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: lb?.containerName, ContainerPort: lb?.containerPort },
          },
        },
      },
    ],
  });
}
export interface CodeDeployArgs extends PollOptions {
  region: string;
  cluster: string;
  service: Service;
  taskDefinitionArn: string;
  application: string;
  deploymentGroup: string;
  /** Tests pass a client; the action builds one from the region (and AWS_ENDPOINT_URL_CODEDEPLOY). */
  client?: CodeDeployClient;
  /** Reads stopped tasks of the new revision each poll, to stop a deployment that cannot succeed. */
  ecs?: ECSClient;
  /** `auto` (default): stopping asks CodeDeploy to roll back; `false`: it does not. */
  rollback?: RollbackMode;
}
/** Creates the deployment and watches it; never throws for a failed deployment (the result says so). */
export async function deployWithCodeDeploy(args: CodeDeployArgs): Promise<RolloutResult> {
  const sdk = await import('@aws-sdk/client-codedeploy');
  const client = args.client ?? (await createCodeDeployClient(args.region));
  const poller = new Poller({ ...waitOptions(args), elapsedPrefix: true });
  const rev = revisionName(args.taskDefinitionArn);
  let deploymentId: string | undefined;
  try {
    const created = await client.send(
      new sdk.CreateDeploymentCommand({
        applicationName: args.application,
        deploymentGroupName: args.deploymentGroup,
        description: `ecs-ship: ${rev}`,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: appSpecContent(args.taskDefinitionArn, args.service) },
        },
      }),
    );
    deploymentId = created.deploymentId;
  } catch (err) {
    const reason = `CodeDeploy refused the deployment of ${rev}: ${describeError(err)}`;
    return finish(poller, 'FAILED', false, reason);
  }
  if (!deploymentId) return finish(poller, 'FAILED', false, 'CodeDeploy returned no deployment id');
  poller.print(
    `CodeDeploy deployment ${deploymentId} of ${rev} created (application ${args.application}, ` +
      `group ${args.deploymentGroup}); polling every ${args.pollSeconds}s, timeout ${args.timeoutMinutes} min`,
  );
  const evidence = args.ecs
    ? new CodeDeployEvidence(
        args.ecs,
        {
          cluster: args.cluster,
          service: args.service.serviceArn ?? args.service.serviceName ?? '',
          taskDefinitionArn: args.taskDefinitionArn,
          startedAt: new Date(poller.since),
        },
        (text) => poller.print(text),
      )
    : undefined;
  return new CodeDeployWatch(sdk, client, args, poller, deploymentId, evidence).run();
}
