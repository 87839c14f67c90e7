import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import {
  groupService,
  newDeployment,
  parseDeploymentConfig,
  type CodeDeployDeployment,
  type CodeDeployState,
  type DeploymentGroup,
  type DeploymentStatus,
} from './codedeploy-model.js';
import { STOP_MESSAGE, stopDeployment } from './codedeploy-rollout.js';
import { codeDeployDeploymentView, ecsTargetView, targetIdOf } from './codedeploy-views.js';
import { findService } from './ecs/services.js';
import { findTaskDefinition } from './ecs/taskdefs.js';
import type { EcsState, Service as EcsService } from './ecs/model.js';
import { AwsError, type RequestContext } from './http.js';

/**
 * CodeDeploy (X-Amz-Target `CodeDeploy_20141006.<Op>`, reached with AWS_ENDPOINT_URL_CODEDEPLOY) for ECS
 * blue/green: applications, deployment groups bound to one CODE_DEPLOY service, and deployments whose
 * AppSpec names a task definition. The rollout itself (codedeploy-rollout.ts) is the ECS sandbox's
 * BLUE_GREEN / LINEAR / CANARY stage machine seen through CodeDeploy's lifecycle events.
 */

type Body = Record<string, unknown>;

const record = (value: unknown): Body =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const groupKey = (application: string, group: string) => `${application}/${group}`;

function requireApplication(state: CodeDeployState, body: Body) {
  const name = text(body.applicationName);
  if (name === '')
    throw new AwsError('ApplicationNameRequiredException', 'The application name must be specified.');
  const app = state.applications.get(name);
  if (!app) throw new AwsError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return app;
}

function requireGroup(state: CodeDeployState, application: string, body: Body): DeploymentGroup {
  const name = text(body.deploymentGroupName);
  if (name === '') {
    throw new AwsError(
      'DeploymentGroupNameRequiredException',
      'The deployment group name must be specified.',
    );
  }
  const group = state.groups.get(groupKey(application, name));
  if (!group)
    throw new AwsError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
  return group;
}

function requireDeployment(state: CodeDeployState, body: Body): CodeDeployDeployment {
  const id = text(body.deploymentId);
  if (id === '') throw new AwsError('DeploymentIdRequiredException', 'The deployment ID must be specified.');
  if (!/^d-[A-Z0-9]{9}$/.test(id))
    throw new AwsError('InvalidDeploymentIdException', `Invalid deployment id: ${id}`);
  const d = state.deployments.get(id);
  if (!d) throw new AwsError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
  return d;
}

function invalidService(message: string): AwsError {
  return new AwsError('InvalidECSServiceException', message);
}

function createDeploymentGroup(state: CodeDeployState, ecs: EcsState, body: Body): Body {
  const app = requireApplication(state, body);
  const name = text(body.deploymentGroupName);
  if (name === '') {
    throw new AwsError(
      'DeploymentGroupNameRequiredException',
      'The deployment group name must be specified.',
    );
  }
  if (state.groups.has(groupKey(app.name, name))) {
    throw new AwsError(
      'DeploymentGroupAlreadyExistsException',
      `A deployment group with the name ${name} already exists.`,
    );
  }
  const role = text(body.serviceRoleArn);
  if (role === '') throw new AwsError('RoleRequiredException', 'The service role ARN must be specified.');
  const services = Array.isArray(body.ecsServices) ? body.ecsServices.map(record) : [];
  const [ref] = services;
  if (services.length !== 1 || !ref)
    throw invalidService('An ECS deployment group needs exactly one ECS service.');
  const cluster = ecs.clusters.get(text(ref.clusterName));
  const service = cluster && findService(cluster, text(ref.serviceName));
  if (!cluster || !service || service.status !== 'ACTIVE') {
    throw invalidService(
      `The ECS service ${text(ref.serviceName)} in cluster ${text(ref.clusterName)} does not exist.`,
    );
  }
  if (service.deploymentController !== 'CODE_DEPLOY') {
    throw invalidService(`The ECS service ${service.name} must use the CODE_DEPLOY deployment controller.`);
  }
  const configName = text(body.deploymentConfigName) || 'CodeDeployDefault.ECSAllAtOnce';
  parseDeploymentConfig(configName);
  const rollback = record(body.autoRollbackConfiguration);
  const pairs = record(body.loadBalancerInfo).targetGroupPairInfoList;
  const pair = record(Array.isArray(pairs) ? pairs[0] : undefined);
  const targetGroups = (Array.isArray(pair.targetGroups) ? pair.targetGroups : []).map((t) =>
    text(record(t).name),
  );
  const terminate = record(
    record(body.blueGreenDeploymentConfiguration).terminateBlueInstancesOnDeploymentSuccess,
  );
  const wait =
    typeof terminate.terminationWaitTimeInMinutes === 'number' ? terminate.terminationWaitTimeInMinutes : 0;
  if (wait < 0 || wait > 2880) {
    throw new AwsError(
      'InvalidBlueGreenDeploymentConfigurationException',
      'terminationWaitTimeInMinutes must be 0 to 2880.',
    );
  }
  const group: DeploymentGroup = {
    name,
    id: randomUUID(),
    applicationName: app.name,
    deploymentConfigName: configName,
    serviceRoleArn: role,
    autoRollback: {
      enabled: rollback.enabled === true,
      events: Array.isArray(rollback.events) ? rollback.events.map(String) : [],
    },
    ecs: { state: ecs, cluster: cluster.name, service: service.name },
    targetGroups,
    terminationWaitMinutes: wait,
    raw: body,
  };
  state.groups.set(groupKey(app.name, name), group);
  return { deploymentGroupId: group.id };
}

/** The AppSpec's one ECS target: the revision and the container and port that take traffic. */
function parseAppSpec(content: string, service: EcsService, ecs: EcsState): string {
  const bad = (why: string) => new AwsError('InvalidRevisionException', `The AppSpec is not valid: ${why}`);
  let spec: Body;
  try {
    spec = record(parseYaml(content));
  } catch {
    throw bad('it is neither JSON nor YAML.');
  }
  const resources = Array.isArray(spec.Resources) ? spec.Resources.map(record) : [];
  const target = record(resources[0]?.TargetService);
  if (resources.length !== 1 || target.Type !== 'AWS::ECS::Service') {
    throw bad('Resources must hold one TargetService of Type AWS::ECS::Service.');
  }
  const props = record(target.Properties);
  const arn = text(props.TaskDefinition);
  const td = findTaskDefinition(ecs, arn);
  if (!td || td.status !== 'ACTIVE')
    throw bad(`the task definition ${arn || '(none)'} does not exist or is INACTIVE.`);
  const lb = record(props.LoadBalancerInfo);
  const serviceLb = service.loadBalancers.map(record).find((l) => l.containerName !== undefined);
  if (
    !serviceLb ||
    lb.ContainerName !== serviceLb.containerName ||
    lb.ContainerPort !== serviceLb.containerPort
  ) {
    throw bad(
      `LoadBalancerInfo ${String(lb.ContainerName)}:${String(lb.ContainerPort)} does not match the service's load balancer ` +
        `${String(serviceLb?.containerName)}:${String(serviceLb?.containerPort)}.`,
    );
  }
  return td.arn;
}

const ACTIVE: DeploymentStatus[] = ['Created', 'InProgress', 'Baking'];

function createDeployment(state: CodeDeployState, body: Body, now: number): Body {
  const app = requireApplication(state, body);
  const group = requireGroup(state, app.name, body);
  const revision = record(body.revision);
  if (revision.revisionType === undefined)
    throw new AwsError('RevisionRequiredException', 'The revision must be specified.');
  if (revision.revisionType !== 'AppSpecContent') {
    throw new AwsError('InvalidRevisionException', 'An ECS deployment takes its AppSpec as AppSpecContent.');
  }
  const active = [...state.deployments.values()].find((d) => d.group === group && ACTIVE.includes(d.status));
  if (active) {
    throw new AwsError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`,
    );
  }
  const service = groupService(group);
  if (!service)
    throw invalidService(
      `The ECS service ${group.ecs.service} of deployment group ${group.name} is not ACTIVE.`,
    );
  const appSpec = text(record(revision.appSpecContent).content);
  const taskDefinitionArn = parseAppSpec(appSpec, service, group.ecs.state);
  const configName = text(body.deploymentConfigName) || group.deploymentConfigName;
  parseDeploymentConfig(configName);
  const description = typeof body.description === 'string' ? body.description : undefined;
  const d = newDeployment(
    group,
    { deploymentConfigName: configName, description, appSpec, taskDefinitionArn, creator: 'user' },
    now,
  );
  state.deployments.set(d.id, d);
  return { deploymentId: d.id };
}

export function handleCodeDeploy(
  state: CodeDeployState,
  ecs: EcsState,
  ctx: RequestContext,
  now: number,
): unknown {
  const body: Body = ctx.body;
  switch (ctx.operation) {
    case 'CreateApplication': {
      const name = text(body.applicationName);
      if (name === '')
        throw new AwsError('ApplicationNameRequiredException', 'The application name must be specified.');
      if (state.applications.has(name)) {
        throw new AwsError('ApplicationAlreadyExistsException', `The application ${name} already exists.`);
      }
      const computePlatform = text(body.computePlatform) || 'Server';
      if (computePlatform !== 'ECS') {
        throw new AwsError(
          'InvalidComputePlatformException',
          'The sandbox models only the ECS compute platform.',
        );
      }
      const app = { name, id: randomUUID(), computePlatform, createdAt: now };
      state.applications.set(name, app);
      return { applicationId: app.id };
    }
    case 'CreateDeploymentGroup':
      return createDeploymentGroup(state, ecs, body);
    case 'CreateDeployment':
      return createDeployment(state, body, now);
    case 'GetDeployment':
      return { deploymentInfo: codeDeployDeploymentView(requireDeployment(state, body)) };
    case 'ListDeploymentTargets':
      return { targetIds: [targetIdOf(requireDeployment(state, body))] };
    case 'GetDeploymentTarget': {
      const d = requireDeployment(state, body);
      if (text(body.targetId) !== targetIdOf(d)) {
        throw new AwsError(
          'DeploymentTargetDoesNotExistException',
          `The target ${text(body.targetId)} does not exist.`,
        );
      }
      return { deploymentTarget: { deploymentTargetType: 'ECSTarget', ecsTarget: ecsTargetView(d) } };
    }
    case 'StopDeployment': {
      const d = requireDeployment(state, body);
      if (!ACTIVE.includes(d.status)) {
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${d.id} is already completed.`,
        );
      }
      stopDeployment(state, d, body.autoRollbackEnabled === true, now);
      return { status: 'Succeeded', statusMessage: STOP_MESSAGE };
    }
    default:
      throw new AwsError(
        'UnknownOperationException',
        `The sandbox does not implement CodeDeploy ${ctx.operation}.`,
      );
  }
}
