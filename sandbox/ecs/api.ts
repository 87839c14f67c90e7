import { AwsError } from '../http.js';
import { stopServiceDeployment } from './deployments.js';
import { arn, newCluster, type Cluster, type EcsState } from './model.js';
import { runTask, stopTask } from './runtask.js';
import { createService, deleteService, findService, updateService } from './services.js';
import {
  deleteTaskDefinitions,
  findTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  paginate,
  registerTaskDefinition,
  taskDefinitionView,
} from './taskdefs.js';
import {
  serviceDeploymentBrief,
  serviceDeploymentView,
  serviceRevisionView,
  serviceView,
  taskView,
} from './views.js';

type Body = Record<string, unknown>;
type Op = (state: EcsState, body: Body, now: number) => unknown;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const lastSegment = (ref: string): string => ref.split('/').at(-1) ?? ref;

function clusterOf(state: EcsState, body: Body): Cluster {
  const ref = typeof body.cluster === 'string' && body.cluster !== '' ? body.cluster : 'default';
  const cluster = state.clusters.get(ref.startsWith('arn:') ? lastSegment(ref) : ref);
  if (!cluster || cluster.status !== 'ACTIVE')
    throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

function clusterView(state: EcsState, c: Cluster): Body {
  const tasks = [...state.tasks.values()].filter(
    (t) => t.clusterArn === c.arn && t.desiredStatus === 'RUNNING',
  );
  return {
    clusterArn: c.arn,
    clusterName: c.name,
    status: c.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus !== 'RUNNING').length,
    activeServicesCount: [...c.services.values()].filter((s) => s.status === 'ACTIVE').length,
    // ECS states the account's Container Insights default on every cluster it describes.
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    tags: c.tags,
  };
}

function describeTaskDefinition(state: EcsState, body: Body): Body {
  const td =
    typeof body.taskDefinition === 'string' ? findTaskDefinition(state, body.taskDefinition) : undefined;
  if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.');
  const withTags = strings(body.include).includes('TAGS');
  return { taskDefinition: taskDefinitionView(td), tags: withTags ? td.tags : undefined };
}

function listServiceDeployments(state: EcsState, body: Body): Body {
  const cluster = clusterOf(state, body);
  const service = findService(cluster, body.service);
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  const statuses = strings(body.status);
  const range = (body.createdAt ?? {}) as { after?: number; before?: number };
  const matching = [...state.serviceDeployments.values()]
    .filter((sd) => sd.serviceArn === service.arn)
    .filter((sd) => statuses.length === 0 || statuses.includes(sd.status))
    .filter((sd) => range.after === undefined || sd.createdAt >= range.after * 1000)
    .filter((sd) => range.before === undefined || sd.createdAt <= range.before * 1000)
    .sort((a, b) => b.createdAt - a.createdAt);
  const page = paginate(
    matching.map((sd) => sd.arn),
    body,
    'arns',
  );
  const briefs = (page.arns as string[]).map((a) => serviceDeploymentBrief(state.serviceDeployments.get(a)!));
  return { serviceDeployments: briefs, nextToken: page.nextToken };
}

function listTasks(state: EcsState, body: Body): Body {
  const cluster = clusterOf(state, body);
  let serviceName: string | undefined;
  if (body.serviceName !== undefined) {
    const service = findService(cluster, body.serviceName);
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    serviceName = service.name;
  }
  const desired = body.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING';
  const family = typeof body.family === 'string' ? body.family : undefined;
  const arns = [...state.tasks.values()]
    .filter((t) => t.clusterArn === cluster.arn && t.desiredStatus === desired)
    .filter((t) => serviceName === undefined || t.serviceName === serviceName)
    .filter((t) => family === undefined || lastSegment(t.taskDefinitionArn).split(':')[0] === family)
    .filter((t) => body.startedBy === undefined || t.startedBy === body.startedBy)
    .map((t) => t.arn);
  return paginate(arns, body, 'taskArns');
}

function describeTasks(state: EcsState, body: Body): Body {
  const cluster = clusterOf(state, body);
  const tasks: Body[] = [];
  const failures: Body[] = [];
  for (const ref of strings(body.tasks)) {
    const taskArn = ref.startsWith('arn:') ? ref : arn(state.region, `task/${cluster.name}/${ref}`);
    const task = state.tasks.get(taskArn);
    if (task && task.clusterArn === cluster.arn) tasks.push(taskView(task));
    else failures.push({ arn: taskArn, reason: 'MISSING' });
  }
  return { tasks, failures };
}

function describeServices(state: EcsState, body: Body): Body {
  const cluster = clusterOf(state, body);
  const services: Body[] = [];
  const failures: Body[] = [];
  for (const ref of strings(body.services)) {
    const service = findService(cluster, ref);
    const withTags = strings(body.include).includes('TAGS');
    if (service)
      services.push({ ...serviceView(state, service), ...(withTags ? { tags: service.tags } : {}) });
    else
      failures.push({
        arn: arn(state.region, `service/${cluster.name}/${lastSegment(ref)}`),
        reason: 'MISSING',
      });
  }
  return { services, failures };
}

function byArn<T>(
  refs: unknown,
  lookup: Map<string, T>,
  view: (item: T) => Body,
): { found: Body[]; failures: Body[] } {
  const found: Body[] = [];
  const failures: Body[] = [];
  for (const ref of strings(refs)) {
    const item = lookup.get(ref);
    if (item) found.push(view(item));
    else failures.push({ arn: ref, reason: 'MISSING' });
  }
  return { found, failures };
}

const OPERATIONS: Record<string, Op> = {
  CreateCluster: (state, body) => {
    const name =
      typeof body.clusterName === 'string' && body.clusterName !== '' ? body.clusterName : 'default';
    const cluster = state.clusters.get(name) ?? newCluster(state.region, name);
    cluster.status = 'ACTIVE';
    state.clusters.set(name, cluster);
    return { cluster: clusterView(state, cluster) };
  },
  DescribeClusters: (state, body) => {
    const refs = strings(body.clusters);
    const clusters: Body[] = [];
    const failures: Body[] = [];
    for (const ref of refs.length > 0 ? refs : ['default']) {
      const c = state.clusters.get(ref.startsWith('arn:') ? lastSegment(ref) : ref);
      if (c) clusters.push(clusterView(state, c));
      else failures.push({ arn: arn(state.region, `cluster/${lastSegment(ref)}`), reason: 'MISSING' });
    }
    return { clusters, failures };
  },
  ListClusters: (state, body) =>
    paginate(
      [...state.clusters.values()].map((c) => c.arn),
      body,
      'clusterArns',
    ),
  RegisterTaskDefinition: (state, body, now) => {
    const td = registerTaskDefinition(state, body, now);
    return { taskDefinition: taskDefinitionView(td), tags: td.tags };
  },
  DescribeTaskDefinition: (state, body) => describeTaskDefinition(state, body),
  DeregisterTaskDefinition: (state, body, now) => {
    const ref = typeof body.taskDefinition === 'string' ? body.taskDefinition : '';
    const td = /:\d+$/.test(ref) ? findTaskDefinition(state, ref) : undefined;
    if (!td) throw new AwsError('ClientException', 'The specified task definition does not exist.');
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = now;
    }
    return { taskDefinition: taskDefinitionView(td) };
  },
  ListTaskDefinitions: (state, body) => listTaskDefinitions(state, body),
  ListTaskDefinitionFamilies: (state, body) => listTaskDefinitionFamilies(state, body),
  DeleteTaskDefinitions: (state, body) => deleteTaskDefinitions(state, body),
  CreateService: (state, body, now) => ({
    service: serviceView(state, createService(state, clusterOf(state, body), body, now)),
  }),
  UpdateService: (state, body, now) => ({
    service: serviceView(state, updateService(state, clusterOf(state, body), body, now)),
  }),
  DeleteService: (state, body, now) => ({
    service: serviceView(state, deleteService(state, clusterOf(state, body), body, now)),
  }),
  DescribeServices: (state, body) => describeServices(state, body),
  ListServices: (state, body) => {
    const cluster = clusterOf(state, body);
    const arns = [...cluster.services.values()].filter((s) => s.status !== 'INACTIVE').map((s) => s.arn);
    return paginate(arns, body, 'serviceArns');
  },
  ListServiceDeployments: (state, body) => listServiceDeployments(state, body),
  DescribeServiceDeployments: (state, body) => {
    const r = byArn(body.serviceDeploymentArns, state.serviceDeployments, (sd) =>
      serviceDeploymentView(state, sd),
    );
    return { serviceDeployments: r.found, failures: r.failures };
  },
  StopServiceDeployment: (state, body, now) => stopServiceDeployment(state, body, now),
  DescribeServiceRevisions: (state, body) => {
    const r = byArn(body.serviceRevisionArns, state.serviceRevisions, serviceRevisionView);
    return { serviceRevisions: r.found, failures: r.failures };
  },
  ListTasks: (state, body) => listTasks(state, body),
  DescribeTasks: (state, body) => describeTasks(state, body),
  RunTask: (state, body, now) => runTask(state, clusterOf(state, body), body, now),
  StopTask: (state, body, now) => ({ task: taskView(stopTask(state, clusterOf(state, body), body, now)) }),
};

export function handleEcs(state: EcsState, operation: string, body: Body, now: number): unknown {
  const op = OPERATIONS[operation];
  if (!op)
    throw new AwsError('UnknownOperationException', `The sandbox does not implement ECS ${operation}.`);
  return op(state, body, now);
}
