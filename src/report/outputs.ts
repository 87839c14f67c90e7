import * as core from '@actions/core';
import type { ContainerImage } from '../deploy/images.js';
import type { RunTaskResult } from '../deploy/run-task.js';
import type { DeployOutcome, ServiceOutcome } from '../deploy/stage.js';
import type { ScanGateResult } from '../image/ecr/scan.js';
import type { PublishedImage } from '../image/stage.js';
import type { NeededPolicy } from '../permissions.js';
import type { PreviewRemoved } from './pr-comment.js';
import type { RegisteredTaskDefinition, RenderedTaskDefinition } from '../taskdef/stage.js';

/** What each stage returns, by stage: everything the outputs and the job summary are made of. */
export interface StageResults {
  image: PublishedImage;
  scan: ScanGateResult;
  render: RenderedTaskDefinition;
  register: RegisteredTaskDefinition;
  /** The dry run's render: the file, and whether a real run would register a new revision. */
  dryRun: RenderedTaskDefinition;
  /** The dry run's IAM policy: what the inputs' features need. */
  permissions: NeededPolicy;
  runTask: RunTaskResult;
  deploy: DeployOutcome;
  /** When nothing was pushed: the image each updated container was given, for the summary. */
  containers: ContainerImage[];
  /** A closed pull request's preview: what was removed (empty: nothing was left). */
  previewRemoval: PreviewRemoved;
}
export type Stage = keyof StageResults;

/** Output name (as action.yml declares it) to value. */
type Outputs = Record<string, string>;

/** What the `rollouts` output holds: one object per service, for later steps to read with fromJSON. */
function rolloutsJson(services: ServiceOutcome[]): string {
  return JSON.stringify(
    services.map((s) => ({
      service: s.service,
      state: s.state,
      reason: s.reason,
      deploymentId: s.deploymentId ?? null,
      serviceDeploymentArn: s.rollout?.serviceDeploymentArn ?? null,
      durationMs: s.rollout?.durationMs ?? null,
    })),
  );
}

/** The first non-zero exit of an essential container, 0 when the task succeeded, empty when none ran. */
function runTaskExitCode(runTask: RunTaskResult): string {
  const failed = runTask.exits.find((e) => e.essential && e.exitCode !== 0);
  const code = failed ? failed.exitCode : runTask.success ? 0 : undefined;
  return code === undefined ? '' : String(code);
}

function deployOutputs(outcome: DeployOutcome): Outputs {
  const rolledBack = outcome.services.map((s) => s.rollout?.rolledBackTo).filter((arn) => arn !== undefined);
  return {
    // Only when keep-revisions ran: after a failure or an unwatched rollout nothing was cleaned up.
    ...(outcome.cleanup ? { 'deregistered-task-definitions': outcome.cleanup.deregistered.join('\n') } : {}),
    'deployment-id': outcome.services[0]?.deploymentId ?? '',
    'rollout-state': outcome.state,
    'rolled-back-to': rolledBack.join('\n'),
    rollouts: rolloutsJson(outcome.services),
  };
}

const OUTPUTS: { [S in Stage]: (result: StageResults[S]) => Outputs } = {
  image: (image) => ({ 'image-uri': image.imageUri, 'image-digest': image.digest }),
  scan: () => ({}),
  render: (rendered) => ({ 'task-definition': rendered.path }),
  register: (registered) => ({
    'task-definition-arn': registered.arn,
    'task-definition-revision': String(registered.revision),
    'task-definition-changed': String(registered.changed),
  }),
  dryRun: (rendered) => ({
    'task-definition': rendered.path,
    'task-definition-changed': String(rendered.changes.length > 0),
  }),
  permissions: () => ({}),
  runTask: (runTask) => ({
    'run-task-arn': runTask.taskArn ?? '',
    'run-task-exit-code': runTaskExitCode(runTask),
  }),
  deploy: deployOutputs,
  containers: () => ({}),
  previewRemoval: () => ({}),
};

/** Pure: the outputs a stage's result sets. */
export function outputsOf<S extends Stage>(stage: S, result: StageResults[S]): Outputs {
  return OUTPUTS[stage](result);
}

export function setOutputs(outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}
