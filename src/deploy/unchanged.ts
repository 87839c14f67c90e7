import { isDeepStrictEqual } from 'node:util';
import type { DeploymentConfiguration, Service } from '@aws-sdk/client-ecs';
import { revisionName } from '../aws/arn.js';
import { sameTaskDefinition } from './rollout/identify.js';

/**
 * Whether an UpdateService call would change nothing: the service already runs `taskDefinitionArn` (a re-run
 * reused the revision), its one deployment finished, and neither the count nor the deployment configuration
 * would change. Then the step says so instead of starting a no-op update and watching the deployment of an
 * earlier run as if it were new. `force-new-deployment` always deploys. Pure; undefined = deploy.
 */
export function unchangedService(
  described: Service | undefined,
  taskDefinitionArn: string,
  call: {
    forceNewDeployment: boolean;
    desiredCount: number | undefined;
    deploymentConfiguration: DeploymentConfiguration | undefined;
  },
): string | undefined {
  if (!described || call.forceNewDeployment || described.status !== 'ACTIVE') return undefined;
  if (described.deploymentController?.type && described.deploymentController.type !== 'ECS') return undefined;
  if (!sameTaskDefinition(described.taskDefinition, taskDefinitionArn)) return undefined;
  if (call.desiredCount !== undefined && call.desiredCount !== described.desiredCount) return undefined;
  if (
    call.deploymentConfiguration !== undefined &&
    !isDeepStrictEqual(call.deploymentConfiguration, described.deploymentConfiguration)
  ) {
    return undefined;
  }
  const deployments = described.deployments ?? [];
  const only = deployments[0];
  if (deployments.length !== 1 || !only || only.status !== 'PRIMARY') return undefined;
  if (!sameTaskDefinition(only.taskDefinition, taskDefinitionArn)) return undefined;
  const running = only.runningCount ?? 0;
  const desired = only.desiredCount ?? 0;
  // A service without rolloutState (no circuit breaker, older APIs) is settled when its counts are.
  const settled = only.rolloutState ? only.rolloutState === 'COMPLETED' : running === desired;
  if (!settled) return undefined;
  return `it already runs ${revisionName(taskDefinitionArn)} (${running}/${desired} running, deployment ${only.rolloutState ?? 'settled'})`;
}
