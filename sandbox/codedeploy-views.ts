import { groupService, serviceDeploymentOf, type CodeDeployDeployment } from './codedeploy-model.js';
import { arn, serviceTasks, type EcsState, type Service } from './ecs/model.js';
import { isAlive, isPending } from './ecs/tasks.js';
import { serviceDeploymentView } from './ecs/views.js';

/** Wire shapes of GetDeployment and GetDeploymentTarget (SDK names; Dates become epoch seconds in http.ts). */

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

export function targetIdOf(d: CodeDeployDeployment): string {
  return `${d.group.ecs.cluster}:${d.group.ecs.service}`;
}

function targetStatus(d: CodeDeployDeployment): string {
  if (d.status === 'Created') return 'Pending';
  if (d.status === 'Succeeded' || d.status === 'Failed') return d.status;
  if (d.status === 'Stopped') return 'Failed';
  return 'InProgress';
}

export function codeDeployDeploymentView(d: CodeDeployDeployment): Record<string, unknown> {
  const target = targetStatus(d);
  const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  overview[target as keyof typeof overview] = 1;
  const raw = d.group.raw;
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.group.name,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.id,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: d.appSpec } },
    status: d.status,
    errorInformation: d.errorInformation,
    createTime: date(d.createTime),
    startTime: date(d.startTime),
    completeTime: date(d.completeTime),
    deploymentOverview: overview,
    description: d.description,
    creator: d.creator,
    autoRollbackConfiguration: d.group.autoRollback,
    rollbackInfo: d.rollbackInfo,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: raw.blueGreenDeploymentConfiguration,
    loadBalancerInfo: raw.loadBalancerInfo,
    instanceTerminationWaitTimeStarted: d.status === 'Baking',
    computePlatform: 'ECS',
  };
}

/** Blue and green task sets with their counts and traffic weights (what ECS requested of the listener). */
function taskSets(d: CodeDeployDeployment, ecs: EcsState, service: Service): Record<string, unknown>[] {
  const sd = serviceDeploymentOf(d);
  const view = sd ? serviceDeploymentView(ecs, sd) : {};
  const requested = (view.targetServiceRevision as { requestedProductionTrafficWeight?: number } | undefined)
    ?.requestedProductionTrafficWeight;
  const greenWeight =
    d.status === 'Succeeded' && d.creator === 'user'
      ? 100
      : d.status === 'Failed' || d.status === 'Stopped' || d.creator !== 'user'
        ? 0
        : (requested ?? 0);
  const tasks = serviceTasks(ecs, service).filter(isAlive);
  const set = (id: string | undefined, label: 'Blue' | 'Green', weight: number, tg: string | undefined) => {
    const mine = tasks.filter((t) => t.startedBy === id);
    const live = service.deployments.some((x) => x.id === id && x.rolloutState !== 'FAILED');
    return {
      identifer: id,
      desiredCount: live ? service.desiredCount : 0,
      pendingCount: mine.filter(isPending).length,
      runningCount: mine.filter((t) => t.lastStatus === 'RUNNING').length,
      status: weight >= 50 ? 'PRIMARY' : 'ACTIVE',
      trafficWeight: weight,
      targetGroup: tg ? { name: tg } : undefined,
      taskSetLabel: label,
    };
  };
  const out = [set(d.blueId, 'Blue', 100 - greenWeight, d.group.targetGroups[0])];
  if (d.greenId) out.push(set(d.greenId, 'Green', greenWeight, d.group.targetGroups[1]));
  return out;
}

export function ecsTargetView(d: CodeDeployDeployment): Record<string, unknown> {
  const ecs = d.group.ecs.state;
  const service = groupService(d.group);
  const times = [
    d.createTime,
    d.startTime,
    d.completeTime,
    ...d.events.flatMap((e) => [e.startTime, e.endTime]),
  ];
  return {
    deploymentId: d.id,
    targetId: targetIdOf(d),
    targetArn: arn(ecs.region, `service/${d.group.ecs.cluster}/${d.group.ecs.service}`),
    lastUpdatedAt: date(Math.max(...times.filter((t) => t !== undefined))),
    lifecycleEvents: d.events.map((e) => ({
      lifecycleEventName: e.name,
      status: e.status,
      startTime: date(e.startTime),
      endTime: date(e.endTime),
      diagnostics: e.diagnostics,
    })),
    status: targetStatus(d),
    taskSetsInfo: service && d.blueId ? taskSets(d, ecs, service) : [],
  };
}
