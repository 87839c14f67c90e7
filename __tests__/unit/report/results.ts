import type { RunTaskResult } from '../../../src/deploy/run-task.js';
import type { DeployOutcome, ServiceOutcome } from '../../../src/deploy/stage.js';
import type { RolloutResult } from '../../../src/deploy/rollout/watch.js';
import type { ScanGateResult } from '../../../src/image/ecr/scan.js';
import type { StageResults } from '../../../src/report/outputs.js';
import type { RunContext } from '../../../src/report/summary.js';
import type { RenderedTaskDefinition } from '../../../src/taskdef/stage.js';

/** What the stages of one step return, as the report receives them: one of each, for the report's tests. */

export const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
export const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
export const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';

export const context: RunContext = { cluster: 'prod', image: 'web:latest', tags: ['abc1234', 'latest'] };

export const pushed = { imageUri: `${REPOSITORY}@${DIGEST}`, digest: DIGEST };

export function rendered(over: Partial<RenderedTaskDefinition> = {}): RenderedTaskDefinition {
  return {
    taskDefinition: {
      family: 'web',
      containerDefinitions: [
        {
          name: 'web',
          image: `${REPOSITORY}@${DIGEST}`,
          secrets: [
            { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:db-Ab12Cd' },
          ],
        },
      ],
    },
    path: '/runner/temp/task-definition.json',
    changes: ['~ containerDefinitions[web].image: web@sha256:old → web@sha256:new'],
    against: TD(6),
    ...over,
  };
}

export const registered = { arn: TD(7), family: 'web', revision: 7, changed: true };

export function scan(kind: 'passed' | 'blocked'): ScanGateResult {
  const counts = kind === 'blocked' ? { CRITICAL: 1, HIGH: 2 } : { MEDIUM: 5 };
  return {
    verdict: { kind, counts, blocking: kind === 'blocked' ? 3 : 0 },
    digest: DIGEST,
    threshold: 'HIGH',
  };
}

export function runTask(over: Partial<RunTaskResult> = {}): RunTaskResult {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc',
    success: true,
    reason: 'One-off task abc succeeded: web exited 0',
    exits: [
      { container: 'web', essential: true, exitCode: 0, reason: undefined },
      { container: 'log-router', essential: false, exitCode: 143, reason: undefined },
    ],
    durationMs: 5000,
    timeline: [{ at: new Date(0), text: 'one-off task abc: RUNNING' }],
    ...over,
  };
}

export function rollout(over: Partial<RolloutResult> = {}): RolloutResult {
  return {
    state: 'SUCCESSFUL',
    success: true,
    reason: 'ECS reports the deployment of web:7 SUCCESSFUL',
    serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/1',
    deploymentId: 'ecs-svc/1',
    durationMs: 94_000,
    timeline: [
      { at: new Date(0), text: '[  94s] SUCCESSFUL: ECS reports the deployment of web:7 SUCCESSFUL' },
    ],
    ...over,
  };
}

export function serviceOutcome(service: string, r: RolloutResult): ServiceOutcome {
  const { state, success, reason, deploymentId } = r;
  return { service, state, success, reason, deploymentId, rollout: r };
}

/** A deploy of the given services, its state and failure line built the way the deploy stage builds them. */
export function deployed(services: ServiceOutcome[], over: Partial<DeployOutcome> = {}): DeployOutcome {
  const failed = services.filter((s) => !s.success);
  const [first] = failed;
  return {
    runTask: undefined,
    services,
    cleanup: undefined,
    state: first?.state ?? 'SUCCESSFUL',
    success: first === undefined,
    failure: first && `Rollout ${first.state}: ${first.reason}`,
    ...over,
  };
}

/** Every stage's result of one run that did everything: what the outputs are checked against. */
export const everyStage: StageResults = {
  image: pushed,
  scan: scan('passed'),
  render: rendered(),
  register: registered,
  dryRun: rendered(),
  permissions: {
    features: ['deploy'],
    policy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'S', Effect: 'Allow', Action: 'ecs:UpdateService', Resource: '*' }],
    },
  },
  runTask: runTask(),
  deploy: deployed([serviceOutcome('web', rollout())], {
    runTask: runTask(),
    cleanup: { deregistered: [TD(4)], kept: [TD(7), TD(6), TD(5)], warnings: [] },
  }),
  containers: [{ container: 'web', image: 'nginx:1.27', digest: `sha256:${'c'.repeat(64)}` }],
  previewRemoval: { service: 'web-pr-7', removed: ['service web-pr-7 (scaled to 0 and deleted)'] },
};
