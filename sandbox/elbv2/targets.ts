// The targets of a target group, as ECS registers them: every task of a service whose `loadBalancers` names
// the group, by the task's private IP (target type ip, awsvpc) and the container port. Health follows the
// task: healthy once ECS counts it healthy, initial before, draining while it stops.
import type { EcsState, Service, Task } from '../ecs/model.js';
import { findTaskDefinition } from '../ecs/taskdefs.js';
import { isHealthy } from '../ecs/tasks.js';
import { invalidParameter } from '../http.js';
import { loadBalancersOf, type ElbState } from './model.js';

/** A task's private IPv4 address: stable per task, inside the sandbox VPC's 10.0.0.0/16. */
function taskIp(task: Task): string {
  const a = parseInt(task.id.slice(0, 2), 16);
  const b = parseInt(task.id.slice(2, 4), 16);
  return `10.0.${a}.${Math.max(1, b)}`;
}

interface Registration {
  targetGroupArn: string;
  containerPort: number;
}

function registrations(service: Service): Registration[] {
  return service.loadBalancers.flatMap((lb) => {
    const r = lb as { targetGroupArn?: unknown; containerPort?: unknown };
    return typeof r.targetGroupArn === 'string' && typeof r.containerPort === 'number'
      ? [{ targetGroupArn: r.targetGroupArn, containerPort: r.containerPort }]
      : [];
  });
}

/** The services (not yet INACTIVE) that register their tasks with the target group. */
export function servicesUsing(ecs: EcsState, targetGroupArn: string): Service[] {
  const out: Service[] = [];
  for (const cluster of ecs.clusters.values())
    for (const service of cluster.services.values())
      if (
        service.status !== 'INACTIVE' &&
        registrations(service).some((r) => r.targetGroupArn === targetGroupArn)
      )
        out.push(service);
  return out;
}

export interface TargetView {
  Target: { Id: string; Port: number; AvailabilityZone: string };
  HealthCheckPort: string;
  TargetHealth: { State: string; Reason?: string; Description?: string };
}

function health(task: Task, now: number): TargetView['TargetHealth'] {
  if (task.desiredStatus === 'STOPPED')
    return {
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    };
  if (isHealthy(task, now)) return { State: 'healthy' };
  if (task.healthStatus === 'UNHEALTHY')
    return { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' };
  return {
    State: 'initial',
    Reason: 'Elb.InitialHealthChecking',
    Description: 'Initial health checks in progress',
  };
}

/** DescribeTargetHealth's answer for a target group: registered once the task runs, gone once it stopped. */
export function targetHealth(
  ecs: EcsState,
  targetGroupArn: string,
  healthCheckPort: string,
  now: number,
): TargetView[] {
  const out: TargetView[] = [];
  for (const service of servicesUsing(ecs, targetGroupArn)) {
    const port = registrations(service).find((r) => r.targetGroupArn === targetGroupArn)?.containerPort ?? 80;
    for (const task of ecs.tasks.values()) {
      if (task.clusterArn !== service.clusterArn || task.serviceName !== service.name) continue;
      // ECS registers a task once it runs, and deregisters it as it stops.
      const registered =
        task.lastStatus === 'RUNNING' || (task.desiredStatus === 'STOPPED' && task.startedAt !== undefined);
      if (!registered || task.lastStatus === 'STOPPED') continue;
      out.push({
        Target: { Id: taskIp(task), Port: port, AvailabilityZone: `${ecs.region}a` },
        HealthCheckPort: healthCheckPort === 'traffic-port' ? String(port) : healthCheckPort,
        TargetHealth: health(task, now),
      });
    }
  }
  return out;
}

/**
 * CreateService's (or UpdateService's) `loadBalancers`: each ELBv2 target group must exist, be behind a load balancer already,
 * and be of target type ip for awsvpc tasks.
 */
export function checkServiceTargetGroups(elb: ElbState, ecs: EcsState, body: Record<string, unknown>): void {
  const entries = Array.isArray(body.loadBalancers) ? (body.loadBalancers as Record<string, unknown>[]) : [];
  const td =
    typeof body.taskDefinition === 'string' ? findTaskDefinition(ecs, body.taskDefinition) : undefined;
  for (const lb of entries) {
    const arn = lb.targetGroupArn;
    // Only ELBv2 ARNs are checked: CodeDeploy's blue/green tests name abstract groups (`arn:tg/web-blue`).
    if (typeof arn !== 'string' || !arn.startsWith('arn:aws:elasticloadbalancing:')) continue;
    const group = elb.targetGroups.get(arn);
    if (!group) throw invalidParameter(`The target group with targetGroupArn ${arn} does not exist.`);
    if (loadBalancersOf(elb, arn).length === 0)
      throw invalidParameter(
        `The target group with targetGroupArn ${arn} does not have an associated load balancer.`,
      );
    // awsvpc tasks have their own address: only an ip target group can take them.
    if (td?.input.networkMode === 'awsvpc' && group.settings.TargetType !== 'ip')
      throw invalidParameter(
        `The provided target group ${arn} has target type ${group.settings.TargetType}, which is incompatible with the awsvpc network mode specified in the task definition.`,
      );
  }
}
