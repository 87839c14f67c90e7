import { randomInt } from 'node:crypto';
import { findService } from './ecs/services.js';
import type { EcsState, Service as EcsService } from './ecs/model.js';
import { AwsError } from './http.js';

/** CodeDeploy's state in the sandbox: applications, deployment groups, deployments (codedeploy.ts has the API). */

interface AutoRollback {
  enabled: boolean;
  events: string[];
}

export interface DeploymentGroup {
  name: string;
  id: string;
  applicationName: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
  autoRollback: AutoRollback;
  /** The one ECS service the group deploys, and the region it lives in. */
  ecs: { state: EcsState; cluster: string; service: string };
  /** Target group names, blue first (for the task sets' `targetGroup`). */
  targetGroups: string[];
  /** terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes: how long both run after the shift. */
  terminationWaitMinutes: number;
  raw: Record<string, unknown>;
}

export type DeploymentStatus = 'Created' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped';

export interface LifecycleEvent {
  name: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';
  startTime?: number;
  endTime?: number;
  diagnostics?: { errorCode: string; message: string };
}

export interface CodeDeployDeployment {
  id: string;
  applicationName: string;
  group: DeploymentGroup;
  deploymentConfigName: string;
  description: string | undefined;
  appSpec: string;
  taskDefinitionArn: string;
  status: DeploymentStatus;
  creator: 'user' | 'codeDeployRollback';
  createTime: number;
  startTime?: number;
  completeTime?: number;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: {
    rollbackDeploymentId?: string;
    rollbackTriggeringDeploymentId?: string;
    rollbackMessage?: string;
  };
  events: LifecycleEvent[];
  /** The ECS deployments (ecs-svc/…) of the original (blue) and replacement (green) task sets. */
  blueId?: string;
  greenId?: string;
  /** The ECS service deployment doing the work. */
  serviceDeploymentArn?: string;
  /** When Install began; the replacement has `installTimeoutSeconds` to become healthy. */
  installStartedAt?: number;
}

export interface CodeDeployState {
  applications: Map<string, { name: string; id: string; computePlatform: string; createdAt: number }>;
  groups: Map<string, DeploymentGroup>;
  deployments: Map<string, CodeDeployDeployment>;
  /**
   * Sandbox seconds CodeDeploy waits for the replacement task set to become healthy before failing the
   * deployment. AWS waits 60 minutes; tests shorten it.
   */
  installTimeoutSeconds: number;
}

export function newCodeDeployState(): CodeDeployState {
  return { applications: new Map(), groups: new Map(), deployments: new Map(), installTimeoutSeconds: 3600 };
}

/** CodeDeploy's predefined ECS configurations: `CodeDeployDefault.ECSLinear10PercentEvery1Minutes` and kin. */
const CONFIG =
  /^CodeDeployDefault\.ECS(?:AllAtOnce|Linear(\d+)PercentEvery(\d+)Minutes?|Canary(\d+)Percent(\d+)Minutes?)$/;

export function parseDeploymentConfig(name: string): Record<string, unknown> {
  const m = CONFIG.exec(name);
  if (!m) {
    throw new AwsError(
      'DeploymentConfigDoesNotExistException',
      `No deployment configuration found for name: ${name}`,
    );
  }
  if (m[1] !== undefined) {
    return {
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: Number(m[1]), stepBakeTimeInMinutes: Number(m[2]) },
    };
  }
  if (m[3] !== undefined) {
    return {
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: Number(m[3]), canaryBakeTimeInMinutes: Number(m[4]) },
    };
  }
  return { strategy: 'BLUE_GREEN' };
}

/** The group's ECS service, which must use the CODE_DEPLOY controller. */
export function groupService(group: DeploymentGroup): EcsService | undefined {
  const cluster = group.ecs.state.clusters.get(group.ecs.cluster);
  const service = cluster && findService(cluster, group.ecs.service);
  return service && service.status === 'ACTIVE' ? service : undefined;
}

function newDeploymentId(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let id = 'd-';
  for (let i = 0; i < 9; i++) id += chars[randomInt(chars.length)];
  return id;
}

export function newDeployment(
  group: DeploymentGroup,
  fields: Pick<
    CodeDeployDeployment,
    'deploymentConfigName' | 'description' | 'appSpec' | 'taskDefinitionArn' | 'creator'
  >,
  now: number,
): CodeDeployDeployment {
  return {
    id: newDeploymentId(),
    applicationName: group.applicationName,
    group,
    status: 'Created',
    createTime: now,
    events: [],
    ...fields,
  };
}

/** The ECS service deployment doing a CodeDeploy deployment's work. */
export function serviceDeploymentOf(d: CodeDeployDeployment) {
  return d.serviceDeploymentArn
    ? d.group.ecs.state.serviceDeployments.get(d.serviceDeploymentArn)
    : undefined;
}
