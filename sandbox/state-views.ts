// The typed `state` a test asserts on: the raw models, and views of them shaped as the API answers.
import type {
  Service as EcsService,
  Task as EcsTask,
  ServiceDeployment,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { CodeDeployState } from './codedeploy-model.js';
import type { EcrState } from './ecr.js';
import type { EcrPublicState } from './ecr-public.js';
import type { EcsState } from './ecs/model.js';
import { taskDefinitionView } from './ecs/taskdefs.js';
import { serviceDeploymentView, serviceView, taskView } from './ecs/views.js';
import type { ElbState } from './elbv2/model.js';
import type { Iam } from './iam.js';

/** Typed access for assertions. The view helpers return what the API would (Dates, SDK types), in us-east-1. */
export interface SandboxState {
  /** us-east-1's raw model (times are epoch milliseconds), where the SDK goes unless told otherwise. */
  ecs: EcsState;
  ecr: EcrState;
  /** ECR Public: its alias and created repositories (see ecr-public.ts). */
  ecrPublic: EcrPublicState;
  /** CodeDeploy: applications, deployment groups, deployments, and the Install timeout (see codedeploy.ts). */
  codeDeploy: CodeDeployState;
  /** Users, roles, OIDC providers and STS sessions: every call's signature is checked against them. */
  iam: Iam;
  /** A region's load balancers, listeners, rules and target groups (elbv2/model.ts; seed with elbv2/seed.ts). */
  elbv2(region?: string): ElbState;
  /** Each region is separate, as in AWS; created on first use. */
  region(name: string): EcsState;
  /** Every task the service ever started, stopped ones included, oldest first. */
  tasksOf(service: string, cluster?: string): EcsTask[];
  service(name: string, cluster?: string): EcsService | undefined;
  /** All revisions of a family, oldest first. */
  taskDefinitions(family: string): TaskDefinition[];
  /** The service's service deployments, newest first. */
  serviceDeploymentsOf(service: string, cluster?: string): ServiceDeployment[];
}

export function stateViews(
  ecs: EcsState,
  ecr: EcrState,
  region: (name: string) => EcsState,
): Omit<SandboxState, 'ecrPublic' | 'codeDeploy' | 'iam' | 'elbv2'> {
  const findService = (name: string, cluster = 'default') => ecs.clusters.get(cluster)?.services.get(name);
  return {
    ecs,
    ecr,
    region,
    tasksOf: (name, cluster = 'default') =>
      [...ecs.tasks.values()]
        .filter((t) => t.serviceName === name && t.clusterName === cluster)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((t) => taskView(t) as EcsTask),
    service: (name, cluster) => {
      const s = findService(name, cluster);
      return s && (serviceView(ecs, s) as EcsService);
    },
    taskDefinitions: (family) =>
      (ecs.taskDefinitions.get(family) ?? []).map((td) => taskDefinitionView(td) as TaskDefinition),
    serviceDeploymentsOf: (name, cluster) => {
      const s = findService(name, cluster);
      return [...ecs.serviceDeployments.values()]
        .filter((sd) => sd.serviceArn === s?.arn)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((sd) => serviceDeploymentView(ecs, sd) as ServiceDeployment);
    },
  };
}
