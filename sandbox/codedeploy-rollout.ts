import {
  groupService,
  newDeployment,
  parseDeploymentConfig,
  serviceDeploymentOf,
  type CodeDeployDeployment,
  type CodeDeployState,
  type LifecycleEvent,
} from './codedeploy-model.js';
import { lastGoodDeployment, rollBack, startDeployment } from './ecs/deployments.js';
import { findTaskDefinition } from './ecs/taskdefs.js';
import type { Clock } from './ecs/tasks.js';
import { serviceDeploymentView } from './ecs/views.js';

/**
 * A CodeDeploy ECS deployment, moved on by the sandbox's ticker. Created (1 s) → InProgress: the ECS
 * service gets a new deployment for the AppSpec's revision whose service deployment is staged like an
 * ECS-native one (BLUE_GREEN for ECSAllAtOnce, LINEAR / CANARY for the linear and canary configurations,
 * the group's termination wait as the bake), so the replacement (green) runs next to the original (blue)
 * until traffic has moved and the wait is over. Its lifecycle stages show as CodeDeploy's lifecycle events;
 * the wait as status Baking; ECS's SUCCESSFUL as Succeeded. A replacement that does not become healthy
 * within `installTimeoutSeconds` fails the Install event and the deployment (ECS_UPDATE_ERROR); with
 * automatic rollback on DEPLOYMENT_FAILURE, a rollback deployment puts the service back on blue.
 */

const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;

/** The lifecycle event in progress during each ECS lifecycle stage; past the last = all succeeded. */
const EVENT_OF_STAGE: Record<string, number> = {
  PRE_SCALE_UP: 0,
  SCALE_UP: 1,
  POST_SCALE_UP: 2,
  TEST_TRAFFIC_SHIFT: 3,
  POST_TEST_TRAFFIC_SHIFT: 4,
  // BeforeAllowTraffic has no ECS stage of its own: it passes as production traffic starts to move.
  PRODUCTION_TRAFFIC_SHIFT: 6,
  POST_PRODUCTION_TRAFFIC_SHIFT: 7,
  BAKE_TIME: 8,
  CLEAN_UP: 8,
};

export const INSTALL_TIMEOUT_MESSAGE =
  'The deployment timed out while waiting for the replacement task set to become healthy. This time out period is 60 minutes.';

/** Events before `index` succeeded, the one at `index` in progress, the rest pending. */
function advanceEvents(events: LifecycleEvent[], index: number, now: number): void {
  events.forEach((e, i) => {
    if (i < index && e.status !== 'Succeeded') {
      e.startTime ??= now;
      e.endTime = now;
      e.status = 'Succeeded';
    } else if (i === index && e.status === 'Pending') {
      e.startTime = now;
      e.status = 'InProgress';
    }
  });
}

function start(d: CodeDeployDeployment, now: number): void {
  const service = groupService(d.group);
  const td = findTaskDefinition(d.group.ecs.state, d.taskDefinitionArn);
  d.startTime = now;
  d.status = 'InProgress';
  d.events = LIFECYCLE_EVENTS.map((name) => ({ name, status: 'Pending' }));
  if (!service || !td) {
    finishFailed(d, 'INVALID_ECS_SERVICE', `The ECS service ${d.group.ecs.service} is not ACTIVE.`, now);
    return;
  }
  const blue = service.deployments[0];
  if (blue) d.blueId = blue.id;
  const green = startDeployment(d.group.ecs.state, service, td, now);
  d.greenId = green.id;
  d.serviceDeploymentArn = green.serviceDeploymentArn;
  const sd = serviceDeploymentOf(d);
  // The ECS-native stage machine does the work: the strategy of CodeDeploy's configuration, its wait as the bake.
  if (sd) {
    Object.assign(sd.deploymentConfiguration, parseDeploymentConfig(d.deploymentConfigName), {
      bakeTimeInMinutes: d.group.terminationWaitMinutes,
    });
  }
}

function finishFailed(
  d: CodeDeployDeployment,
  code: string,
  message: string,
  now: number,
  status: 'Failed' | 'Stopped' = 'Failed',
): void {
  const current = d.events.find((e) => e.status === 'InProgress');
  if (current) {
    current.status = 'Failed';
    current.endTime = now;
    current.diagnostics = { errorCode: 'UnknownError', message };
  }
  for (const e of d.events) if (e.status === 'Pending') e.status = 'Skipped';
  d.status = status;
  d.errorInformation = { code, message };
  d.completeTime = now;
}

/**
 * Ends a deployment in progress (an Install timeout, or StopDeployment): `rollback` = a rollback deployment
 * puts the service back on blue; otherwise green launches no more tasks and blue keeps serving.
 */
function endDeployment(
  state: CodeDeployState,
  d: CodeDeployDeployment,
  how: { status: 'Failed' | 'Stopped'; code: string; message: string; rollback: boolean },
  now: number,
): void {
  finishFailed(d, how.code, how.message, now, how.status);
  const service = groupService(d.group);
  const sd = serviceDeploymentOf(d);
  const green = service?.deployments.find((x) => x.id === d.greenId);
  if (!service || !sd || !green) return;
  const previous = lastGoodDeployment(service, green);
  if (how.rollback && previous) {
    const r = newDeployment(
      d.group,
      {
        deploymentConfigName: d.deploymentConfigName,
        description: `Rollback of ${d.id}`,
        appSpec: d.appSpec,
        taskDefinitionArn: previous.taskDefinitionArn,
        creator: 'codeDeployRollback',
      },
      now,
    );
    Object.assign(r, {
      status: 'InProgress',
      startTime: now,
      rollbackInfo: { rollbackTriggeringDeploymentId: d.id },
      blueId: d.blueId,
      greenId: d.greenId,
      serviceDeploymentArn: d.serviceDeploymentArn,
    });
    state.deployments.set(r.id, r);
    d.rollbackInfo = {
      rollbackDeploymentId: r.id,
      rollbackMessage: `Deployment ${d.id} ${how.status.toLowerCase()}; CodeDeploy rolled back in ${r.id}.`,
    };
    rollBack(service, green, previous, sd, how.message, now);
    return;
  }
  green.rolloutState = 'FAILED';
  green.rolloutStateReason = how.message;
  green.updatedAt = now;
  sd.status = 'STOPPED';
  sd.statusReason = how.message;
  sd.stoppedAt = now;
  sd.finishedAt = now;
  sd.updatedAt = now;
}

/** Install timed out: fail, rolling back when the group's automatic rollback covers DEPLOYMENT_FAILURE. */
function failInstall(state: CodeDeployState, d: CodeDeployDeployment, now: number): void {
  const { autoRollback } = d.group;
  const rollback = autoRollback.enabled && autoRollback.events.includes('DEPLOYMENT_FAILURE');
  endDeployment(
    state,
    d,
    { status: 'Failed', code: 'ECS_UPDATE_ERROR', message: INSTALL_TIMEOUT_MESSAGE, rollback },
    now,
  );
}

export const STOP_MESSAGE = 'The deployment was stopped by a StopDeployment request.';

/**
 * StopDeployment on a deployment in progress: Stopped (MANUAL_STOP); `autoRollbackEnabled` rolls the service
 * back to blue in a rollback deployment, as CodeDeploy does. A deployment still Created has no green yet.
 */
export function stopDeployment(
  state: CodeDeployState,
  d: CodeDeployDeployment,
  autoRollbackEnabled: boolean,
  now: number,
): void {
  endDeployment(
    state,
    d,
    { status: 'Stopped', code: 'MANUAL_STOP', message: STOP_MESSAGE, rollback: autoRollbackEnabled },
    now,
  );
}

function tickDeployment(state: CodeDeployState, d: CodeDeployDeployment, clock: Clock): void {
  const { now } = clock;
  if (d.status === 'Created') {
    if (now - d.createTime >= clock.ms(1)) start(d, now);
    return;
  }
  const sd = serviceDeploymentOf(d);
  if (!sd) return;
  if (d.creator === 'codeDeployRollback') {
    if (sd.status === 'ROLLBACK_SUCCESSFUL' || sd.status === 'ROLLBACK_FAILED') {
      d.status = sd.status === 'ROLLBACK_SUCCESSFUL' ? 'Succeeded' : 'Failed';
      d.completeTime = now;
    }
    return;
  }
  if (sd.status === 'SUCCESSFUL') {
    advanceEvents(d.events, d.events.length, now);
    d.status = 'Succeeded';
    d.completeTime = now;
    return;
  }
  if (sd.status !== 'PENDING' && sd.status !== 'IN_PROGRESS') {
    // Something else (an UpdateService with forceNewDeployment, say) took the service over.
    finishFailed(
      d,
      'ECS_UPDATE_ERROR',
      sd.statusReason ?? `The ECS service deployment ended ${sd.status}.`,
      now,
    );
    return;
  }
  const stage = String(serviceDeploymentView(d.group.ecs.state, sd).lifecycleStage ?? 'PRE_SCALE_UP');
  advanceEvents(d.events, EVENT_OF_STAGE[stage] ?? 0, now);
  if (stage === 'SCALE_UP') {
    d.installStartedAt ??= now;
    if (now - d.installStartedAt >= clock.ms(state.installTimeoutSeconds)) failInstall(state, d, now);
  }
  if (stage === 'BAKE_TIME' || stage === 'CLEAN_UP') d.status = 'Baking';
}

/** One pass over every active deployment; the sandbox's ticker calls it after the ECS scheduler. */
export function tickCodeDeploy(state: CodeDeployState, clock: Clock): void {
  for (const d of state.deployments.values()) {
    if (d.status === 'Created' || d.status === 'InProgress' || d.status === 'Baking')
      tickDeployment(state, d, clock);
  }
}
