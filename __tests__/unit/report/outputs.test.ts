import { describe, expect, it } from '@jest/globals';
import { outputsOf, type Stage, type StageResults } from '../../../src/report/outputs.js';
import {
  DIGEST,
  REPOSITORY,
  TD,
  deployed,
  registered,
  rendered,
  rollout,
  runTask,
  scan,
  serviceOutcome,
} from './results.js';

// Expected values are strings, or a matcher where the value is a long JSON checked elsewhere.
type Case<S extends Stage> = [string, S, StageResults[S], Record<string, unknown>];
const row = <S extends Stage>(...c: Case<S>): Case<Stage> => c as unknown as Case<Stage>;

const web = serviceOutcome('web', rollout());
const worker = (over: Parameters<typeof rollout>[0]) => serviceOutcome('worker', rollout(over));

describe('outputsOf: what each stage result sets', () => {
  it.each<Case<Stage>>([
    row(
      'a push',
      'image',
      { imageUri: `${REPOSITORY}@${DIGEST}`, digest: DIGEST },
      {
        'image-uri': `${REPOSITORY}@${DIGEST}`,
        'image-digest': DIGEST,
      },
    ),
    // A promotion inside ECR publishes the digest the repository already has, under its own URI.
    row(
      'a promotion',
      'image',
      { imageUri: `${REPOSITORY}-prod@${DIGEST}`, digest: DIGEST },
      {
        'image-uri': `${REPOSITORY}-prod@${DIGEST}`,
        'image-digest': DIGEST,
      },
    ),
    row('the scan gate', 'scan', scan('blocked'), {}),
    row('the rendered file', 'render', rendered(), {
      'task-definition': '/runner/temp/task-definition.json',
    }),
    row('a new revision', 'register', registered, {
      'task-definition-arn': TD(7),
      'task-definition-revision': '7',
      'task-definition-changed': 'true',
    }),
    row(
      'the current revision reused',
      'register',
      { ...registered, arn: TD(6), revision: 6, changed: false },
      {
        'task-definition-arn': TD(6),
        'task-definition-revision': '6',
        'task-definition-changed': 'false',
      },
    ),
    row('a dry run that would register', 'dryRun', rendered(), {
      'task-definition': '/runner/temp/task-definition.json',
      'task-definition-changed': 'true',
    }),
    row('a dry run that would reuse', 'dryRun', rendered({ changes: [] }), {
      'task-definition': '/runner/temp/task-definition.json',
      'task-definition-changed': 'false',
    }),
    row('a one-off task that exited 0', 'runTask', runTask(), {
      'run-task-arn': 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc',
      'run-task-exit-code': '0',
    }),
    row(
      'a one-off task whose essential container failed',
      'runTask',
      runTask({
        success: false,
        exits: [
          { container: 'log-router', essential: false, exitCode: 1, reason: undefined },
          { container: 'web', essential: true, exitCode: 3, reason: undefined },
        ],
      }),
      { 'run-task-arn': 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc', 'run-task-exit-code': '3' },
    ),
    row(
      'a one-off task that never ran',
      'runTask',
      runTask({
        taskArn: undefined,
        success: false,
        exits: [
          { container: 'web', essential: true, exitCode: undefined, reason: 'CannotPullContainerError' },
        ],
      }),
      { 'run-task-arn': '', 'run-task-exit-code': '' },
    ),
    row('a successful rollout', 'deploy', deployed([web]), {
      'deployment-id': 'ecs-svc/1',
      'rollout-state': 'SUCCESSFUL',
      'rolled-back-to': '',
      rollouts: JSON.stringify([
        {
          service: 'web',
          state: 'SUCCESSFUL',
          reason: 'ECS reports the deployment of web:7 SUCCESSFUL',
          deploymentId: 'ecs-svc/1',
          serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/1',
          durationMs: 94_000,
        },
      ]),
    }),
    row(
      'a rollout of several, one rolled back',
      'deploy',
      deployed([
        web,
        worker({ state: 'ROLLED_BACK', success: false, reason: 'circuit breaker', rolledBackTo: TD(6) }),
      ]),
      {
        'deployment-id': 'ecs-svc/1',
        'rollout-state': 'ROLLED_BACK',
        'rolled-back-to': TD(6),
        rollouts: expect.stringContaining(
          '"service":"worker","state":"ROLLED_BACK","reason":"circuit breaker"',
        ),
      },
    ),
    row(
      'a rollout not watched',
      'deploy',
      deployed([serviceOutcome('web', rollout({ state: 'NOT_WAITED', serviceDeploymentArn: undefined }))], {
        state: 'NOT_WAITED',
      }),
      {
        'deployment-id': 'ecs-svc/1',
        'rollout-state': 'NOT_WAITED',
        'rolled-back-to': '',
        rollouts: expect.stringContaining('"state":"NOT_WAITED"'),
      },
    ),
    row(
      'no service updated after a failed one-off task',
      'deploy',
      deployed([], { state: 'NOT_STARTED', success: false, runTask: runTask({ success: false }) }),
      { 'deployment-id': '', 'rollout-state': 'NOT_STARTED', 'rolled-back-to': '', rollouts: '[]' },
    ),
    row(
      'a rollout after which keep-revisions deregistered two',
      'deploy',
      deployed([web], { cleanup: { deregistered: [TD(4), TD(3)], kept: [], warnings: [] } }),
      {
        'deregistered-task-definitions': `${TD(4)}\n${TD(3)}`,
        'deployment-id': 'ecs-svc/1',
        'rollout-state': 'SUCCESSFUL',
        'rolled-back-to': '',
        rollouts: expect.any(String),
      },
    ),
  ])('%s', (_name, stage, result, outputs) => {
    expect(outputsOf(stage, result)).toEqual(outputs);
  });

  it('gives each service of a rollout its own line in rolled-back-to', () => {
    const back = (service: string, rev: number) =>
      serviceOutcome(service, rollout({ state: 'ROLLED_BACK', success: false, rolledBackTo: TD(rev) }));
    const outputs = outputsOf('deploy', deployed([back('web', 6), web, back('worker', 5)]));
    expect(outputs['rolled-back-to']).toBe(`${TD(6)}\n${TD(5)}`);
  });
});
