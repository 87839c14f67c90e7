// What IAM is asked for each sandbox request: the action, the resource ARN it acts on (read off the request,
// as AWS does), and the condition keys it sets. One request may ask several questions: DescribeServices of
// two services, RegisterTaskDefinition with roles (iam:PassRole) and tags (ecs:TagResource). An operation
// not listed here acts on `*`, so a policy scoped to resources refuses it: add its row.
import type { CodeDeployState } from './codedeploy-model.js';
import type { EcsState } from './ecs/model.js';
import type { RequestContext } from './http.js';
import { ecrPublicRepositoryArn } from './ecr-public.js';
import { ACCOUNT, type Role } from './iam.js';
import type { AccessRequest } from './iam-policy.js';

export interface World {
  ecs: EcsState;
  codeDeploy: CodeDeployState;
  /** IAM's roles by ARN: GetRole names a role, IAM asks about its ARN (path included). */
  roles: Map<string, Role>;
}

type Body = Record<string, unknown>;
type Row = (body: Body, at: Where, world: World) => AccessRequest[];
interface Where {
  region: string;
  act: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : str(v) ? [v as string] : [];
const last = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

/** The IAM prefix of a sandbox service: ELBv2 signs as `elasticloadbalancing`. */
function iamPrefix(service: string): string {
  return /^(elbv2|elb|elasticloadbalancing)/.test(service) ? 'elasticloadbalancing' : service;
}

/** The IAM action a request is, e.g. `ecs:UpdateService`, `elasticloadbalancing:DescribeRules`. */
export const iamAction = (ctx: RequestContext): string => `${iamPrefix(ctx.service)}:${ctx.operation}`;

// ---- ECS ----
const ecsArn = (at: Where, resource: string) => `arn:aws:ecs:${at.region}:${ACCOUNT}:${resource}`;
const clusterName = (body: Body) => last(str(body.cluster) ?? 'default');
const clusterArn = (at: Where, body: Body) => ecsArn(at, `cluster/${clusterName(body)}`);
const serviceArn = (at: Where, body: Body, ref: string) =>
  ref.startsWith('arn:') ? ref : ecsArn(at, `service/${clusterName(body)}/${ref}`);
const inCluster = (at: Where, body: Body) => ({ 'ecs:cluster': clusterArn(at, body) });

/** `web`, `web:3` or an ARN → the revision's ARN (`web` alone: its newest revision). */
function taskDefinitionArn(at: Where, world: World, ref: string): string {
  if (ref.startsWith('arn:')) return ref;
  const [family, revision] = ref.split(':');
  const newest = world.ecs.taskDefinitions.get(family ?? '')?.length ?? 0;
  return ecsArn(at, `task-definition/${family ?? ''}:${revision ?? newest}`);
}

const onService =
  (key: string): Row =>
  (body, at) =>
    strings(body[key]).map((ref) => ({
      action: at.act,
      resource: serviceArn(at, body, ref),
    }));

/** Tagging on create is a second question ECS asks: ecs:TagResource with ecs:CreateAction. */
const tagOnCreate = (body: Body, resource: string, createAction: string): AccessRequest[] =>
  Array.isArray(body.tags) && body.tags.length > 0
    ? [{ action: 'ecs:TagResource', resource, context: { 'ecs:CreateAction': createAction } }]
    : [];

const passRoles = (...arns: unknown[]): AccessRequest[] =>
  arns
    .map(str)
    .filter((a): a is string => a !== undefined)
    .map((resource) => ({
      action: 'iam:PassRole',
      resource,
      context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    }));

const ECS: Record<string, Row> = {
  DescribeServices: onService('services'),
  UpdateService: onService('service'),
  DeleteService: onService('service'),
  ListServiceDeployments: onService('service'),
  CreateService: (body, at) => {
    const resource = serviceArn(at, body, str(body.serviceName) ?? '');
    return [{ action: 'ecs:CreateService', resource }, ...tagOnCreate(body, resource, 'CreateService')];
  },
  DescribeServiceDeployments: (body, at) =>
    strings(body.serviceDeploymentArns).map((resource) => ({ action: at.act, resource })),
  StopServiceDeployment: (body, at) =>
    strings(body.serviceDeploymentArn).map((resource) => ({ action: at.act, resource })),
  DescribeServiceRevisions: (body, at) =>
    strings(body.serviceRevisionArns).map((resource) => ({ action: at.act, resource })),
  ListTasks: (body, at) => [{ action: at.act, resource: '*', context: inCluster(at, body) }],
  ListServices: (body, at) => [{ action: at.act, resource: '*', context: inCluster(at, body) }],
  // As on AWS: no resource-level permissions (a preview's close lists them to find its own by tag).
  ListTaskDefinitionFamilies: (_body, at) => [{ action: at.act, resource: '*' }],
  DescribeTasks: (body, at) =>
    strings(body.tasks).map((ref) => ({
      action: at.act,
      resource: ref.startsWith('arn:') ? ref : ecsArn(at, `task/${clusterName(body)}/${ref}`),
    })),
  RunTask: (body, at, world) => [
    {
      action: 'ecs:RunTask',
      resource: taskDefinitionArn(at, world, str(body.taskDefinition) ?? ''),
      context: inCluster(at, body),
    },
    ...tagOnCreate(body, ecsArn(at, `task/${clusterName(body)}/*`), 'RunTask'),
  ],
  RegisterTaskDefinition: (body, at, world) => {
    const family = str(body.family) ?? '';
    const next = (world.ecs.taskDefinitions.get(family)?.length ?? 0) + 1;
    return [
      { action: 'ecs:RegisterTaskDefinition', resource: '*' },
      ...passRoles(body.taskRoleArn, body.executionRoleArn),
      ...tagOnCreate(body, ecsArn(at, `task-definition/${family}:${next}`), 'RegisterTaskDefinition'),
    ];
  },
  DeleteTaskDefinitions: (body, at, world) =>
    strings(body.taskDefinitions).map((ref) => ({
      action: at.act,
      resource: taskDefinitionArn(at, world, ref),
    })),
  TagResource: (body, at) => strings(body.resourceArn).map((resource) => ({ action: at.act, resource })),
  UntagResource: (body, at) => strings(body.resourceArn).map((resource) => ({ action: at.act, resource })),
  DescribeClusters: (body, at) =>
    strings(body.clusters).map((ref) => ({
      action: at.act,
      resource: ref.startsWith('arn:') ? ref : ecsArn(at, `cluster/${ref}`),
    })),
};

// ---- ECR ----
const ECR_STAR = new Set(['GetAuthorizationToken', 'DescribeRegistry', 'GetRegistryPolicy']);
function ecrRow(body: Body, at: Where, operation: string): AccessRequest[] {
  const names = strings(body.repositoryName ?? body.repositoryNames);
  if (ECR_STAR.has(operation) || names.length === 0) return [{ action: at.act, resource: '*' }];
  const registry = str(body.registryId) ?? ACCOUNT;
  return names.map((name) => ({
    action: at.act,
    resource: `arn:aws:ecr:${at.region}:${registry}:repository/${name}`,
  }));
}

// ---- ECR Public: repositories have no region in their ARN; its login is also an STS bearer token ----
function ecrPublicRow(body: Body, at: Where, operation: string): AccessRequest[] {
  if (operation === 'GetAuthorizationToken')
    return [
      { action: at.act, resource: '*' },
      { action: 'sts:GetServiceBearerToken', resource: '*' },
    ];
  const names = strings(body.repositoryName ?? body.repositoryNames);
  if (names.length === 0) return [{ action: at.act, resource: '*' }];
  return names.map((name) => ({ action: at.act, resource: ecrPublicRepositoryArn(name) }));
}

// ---- CodeDeploy: a deployment's calls act on its deployment group ----
function codeDeployRow(body: Body, at: Where, world: World, operation: string): AccessRequest[] {
  const group = (app: string, name: string) =>
    `arn:aws:codedeploy:${at.region}:${ACCOUNT}:deploymentgroup:${app}/${name}`;
  const app = str(body.applicationName);
  const groupName = str(body.deploymentGroupName);
  if (app && groupName) return [{ action: at.act, resource: group(app, groupName) }];
  const deployment = world.codeDeploy.deployments.get(str(body.deploymentId) ?? '');
  if (deployment)
    return [{ action: at.act, resource: group(deployment.applicationName, deployment.group.name) }];
  if (app && operation !== 'ListApplications')
    return [{ action: at.act, resource: `arn:aws:codedeploy:${at.region}:${ACCOUNT}:application:${app}` }];
  return [{ action: at.act, resource: '*' }];
}

// ---- ELBv2 (Query: parameters as query.ts parses them) ----
const ELB_RESOURCE: Record<string, string> = {
  CreateRule: 'ListenerArn',
  DeleteRule: 'RuleArn',
  ModifyRule: 'RuleArn',
  DeleteTargetGroup: 'TargetGroupArn',
  ModifyTargetGroup: 'TargetGroupArn',
  RegisterTargets: 'TargetGroupArn',
  DeregisterTargets: 'TargetGroupArn',
  AddTags: 'ResourceArns',
  RemoveTags: 'ResourceArns',
};
function elbRow(body: Body, at: Where, operation: string): AccessRequest[] {
  if (operation === 'CreateTargetGroup') {
    const name = str(body.Name) ?? '';
    return [
      {
        action: at.act,
        resource: `arn:aws:elasticloadbalancing:${at.region}:${ACCOUNT}:targetgroup/${name}/*`,
      },
    ];
  }
  const key = ELB_RESOURCE[operation];
  const arns = key ? strings(body[key]) : [];
  return arns.length > 0
    ? arns.map((resource) => ({ action: at.act, resource }))
    : [{ action: at.act, resource: '*' }];
}

/**
 * The questions IAM is asked for this request, or none: STS's web-identity call is the role's trust policy's
 * business (trust.ts), and GetCallerIdentity needs no permission.
 */
export function accessRequests(ctx: RequestContext, world: World): AccessRequest[] {
  const prefix = iamPrefix(ctx.service);
  const at: Where = { region: ctx.region, act: iamAction(ctx) };
  const body = ctx.body;
  switch (prefix) {
    case 'ecs': {
      const row = ECS[ctx.operation];
      return row ? row(body, at, world) : [{ action: at.act, resource: '*' }];
    }
    case 'ecr':
      return ecrRow(body, at, ctx.operation);
    case 'ecr-public':
      return ecrPublicRow(body, at, ctx.operation);
    case 'codedeploy':
      return codeDeployRow(body, at, world, ctx.operation);
    case 'elasticloadbalancing':
      return elbRow(body, at, ctx.operation);
    case 'sts':
      if (ctx.operation === 'AssumeRole')
        return [{ action: 'sts:AssumeRole', resource: str(body.RoleArn) ?? '*' }];
      return [];
    case 'iam': {
      if (ctx.operation !== 'GetRole')
        return [{ action: at.act, resource: str(body.PolicySourceArn) ?? '*' }];
      const name = str(body.RoleName) ?? '';
      const role = [...world.roles.values()].find((r) => r.name === name);
      return [{ action: at.act, resource: role?.arn ?? `arn:aws:iam::${ACCOUNT}:role/${name}` }];
    }
    default:
      return [{ action: at.act, resource: '*' }];
  }
}
