import { AwsError } from '../http.js';
import {
  addEvent,
  arn,
  breakerThreshold,
  newDeploymentId,
  newRevisionId,
  newServiceDeploymentId,
  type Deployment,
  type EcsState,
  type Service,
  type ServiceDeployment,
  type TaskDefinition,
} from './model.js';

// A service's deployments: starting one (with its service revision and service deployment), going back to the
// last good one, and StopServiceDeployment.

/**
 * Makes `td` the PRIMARY deployment with its own service revision and service deployment; whatever
 * deployment was in progress is superseded, as ECS does.
 */
export function startDeployment(
  state: EcsState,
  service: Service,
  td: TaskDefinition,
  now: number,
): Deployment {
  const revisionArn = arn(
    state.region,
    `service-revision/${service.clusterName}/${service.name}/${newRevisionId()}`,
  );
  state.serviceRevisions.set(revisionArn, {
    arn: revisionArn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    taskDefinitionArn: td.arn,
    launchType: service.launchType,
    createdAt: now,
    networkConfiguration: service.networkConfiguration,
    loadBalancers: service.loadBalancers,
  });
  const sdArn = arn(
    state.region,
    `service-deployment/${service.clusterName}/${service.name}/${newServiceDeploymentId()}`,
  );
  const previous = service.currentServiceDeploymentArn
    ? state.serviceDeployments.get(service.currentServiceDeploymentArn)
    : undefined;
  if (previous && ['PENDING', 'IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'].includes(previous.status)) {
    previous.status = 'STOPPED';
    previous.statusReason = 'Service deployment was superseded by a new service deployment.';
    previous.stoppedAt = now;
    previous.updatedAt = now;
    previous.finishedAt = now;
  }
  const id = newDeploymentId();
  const cfg = service.deploymentConfiguration;
  state.serviceDeployments.set(sdArn, {
    arn: sdArn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    serviceName: service.name,
    createdAt: now,
    updatedAt: now,
    status: 'PENDING',
    targetRevisionArn: revisionArn,
    sourceRevisionArns: service.deployments.map((d) => d.serviceRevisionArn),
    deploymentConfiguration: structuredClone(cfg),
    circuitBreaker: {
      status: cfg.deploymentCircuitBreaker.enable ? 'MONITORING' : 'DISABLED',
      failureCount: 0,
      threshold: breakerThreshold(service.desiredCount),
    },
    deploymentId: id,
  });
  for (const d of service.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
  const deployment: Deployment = {
    id,
    status: 'PRIMARY',
    taskDefinitionArn: td.arn,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment ' + id + ' in progress.',
    serviceDeploymentArn: sdArn,
    serviceRevisionArn: revisionArn,
    nextLaunchAt: now,
  };
  service.deployments.unshift(deployment);
  service.taskDefinitionArn = td.arn;
  service.currentServiceDeploymentArn = sdArn;
  return deployment;
}

/** The deployment ECS goes back to: the newest other one that once completed (the last good revision). */
export function lastGoodDeployment(service: Service, failing: Deployment): Deployment | undefined {
  return service.deployments.find((d) => d !== failing && d.rolloutState === 'COMPLETED');
}

/**
 * Makes `previous` PRIMARY again and rolls it out, as ECS does for a circuit-breaker rollback and for
 * StopServiceDeployment(ROLLBACK). The service deployment goes ROLLBACK_IN_PROGRESS and the scheduler marks
 * it ROLLBACK_SUCCESSFUL when `previous` completes.
 */
export function rollBack(
  service: Service,
  failing: Deployment,
  previous: Deployment,
  sd: ServiceDeployment,
  reason: string,
  now: number,
): void {
  failing.status = 'ACTIVE';
  if (failing.rolloutState === 'IN_PROGRESS') {
    failing.rolloutState = 'FAILED';
    failing.rolloutStateReason = reason;
  }
  failing.updatedAt = now;
  previous.status = 'PRIMARY';
  previous.rolloutState = 'IN_PROGRESS';
  previous.rolloutStateReason = `ECS deployment ${previous.id} in progress.`;
  previous.updatedAt = now;
  previous.nextLaunchAt = now;
  service.deployments = [previous, ...service.deployments.filter((d) => d !== previous)];
  service.taskDefinitionArn = previous.taskDefinitionArn;
  sd.status = 'ROLLBACK_IN_PROGRESS';
  sd.statusReason = reason;
  sd.rollback = { reason, startedAt: now, serviceRevisionArn: previous.serviceRevisionArn };
  sd.deploymentId = previous.id;
  sd.updatedAt = now;
  addEvent(service, now, `(service ${service.name}) rolling back to deployment ${previous.id}.`);
}

const STOP_ROLLBACK_REASON = 'Service deployment rolled back because of a StopServiceDeployment request.';
const STOP_ABORT_REASON = 'Service deployment stopped because of a StopServiceDeployment request.';

/**
 * StopServiceDeployment(ABORT): the new deployment launches no more tasks and nothing rolls back — the
 * service keeps whatever of both revisions runs. STOP_REQUESTED now, STOPPED on the scheduler's next pass.
 */
function abort(service: Service, failing: Deployment, sd: ServiceDeployment, now: number): void {
  failing.rolloutState = 'FAILED';
  failing.rolloutStateReason = STOP_ABORT_REASON;
  failing.updatedAt = now;
  sd.status = 'STOP_REQUESTED';
  sd.statusReason = STOP_ABORT_REASON;
  sd.updatedAt = now;
  addEvent(service, now, `(service ${service.name}) (deployment ${failing.id}) deployment stopped.`);
}

/** The scheduler's pass after an ABORT: the stop is over. */
export function finishStopRequest(sd: ServiceDeployment, now: number): void {
  if (sd.status !== 'STOP_REQUESTED') return;
  sd.status = 'STOPPED';
  sd.stoppedAt = now;
  sd.finishedAt = now;
  sd.updatedAt = now;
}

function serviceOf(state: EcsState, sd: ServiceDeployment): Service | undefined {
  for (const c of state.clusters.values()) {
    const s = c.services.get(sd.serviceName);
    if (s && s.arn === sd.serviceArn) return s;
  }
  return undefined;
}

/** StopServiceDeployment: ROLLBACK (the default) or ABORT, only while the deployment is running. */
export function stopServiceDeployment(state: EcsState, body: Record<string, unknown>, now: number): unknown {
  const ref = typeof body.serviceDeploymentArn === 'string' ? body.serviceDeploymentArn : '';
  const sd = state.serviceDeployments.get(ref);
  if (!sd) {
    throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
  }
  const stopType = body.stopType ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(stopType)}' at 'stopType' failed to satisfy constraint: Member must satisfy enum value set: [ABORT, ROLLBACK]`,
    );
  }
  const service = serviceOf(state, sd);
  const failing = service?.deployments.find((d) => d.serviceDeploymentArn === sd.arn);
  if (!service || !failing || !['PENDING', 'IN_PROGRESS'].includes(sd.status)) {
    throw new AwsError(
      'ConflictException',
      `The service deployment is ${sd.status} and can no longer be stopped.`,
    );
  }
  if (stopType === 'ABORT') {
    abort(service, failing, sd, now);
    return { serviceDeploymentArn: sd.arn };
  }
  const previous = lastGoodDeployment(service, failing);
  if (!previous) {
    throw new AwsError('InvalidParameterException', 'The service has no previous revision to roll back to.');
  }
  rollBack(service, failing, previous, sd, STOP_ROLLBACK_REASON, now);
  return { serviceDeploymentArn: sd.arn };
}
