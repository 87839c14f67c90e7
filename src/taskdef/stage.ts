import type { ECSClient, RegisterTaskDefinitionCommandInput, Service, Tag } from '@aws-sdk/client-ecs';
import { parseRevision } from '../aws/arn.js';
import { registerTaskDefinition } from './register.js';
import type { TaskDefinitionInputs } from '../inputs/taskdef.js';
import { inputError } from '../errors.js';
import type { Logger } from '../report/log.js';
import { checkLimits, checkTaskDefinition } from './check.js';
import { cleanTaskDefinition } from './clean.js';
import { diffTaskDefinitions, formatChanges } from './diff.js';
import { loadRunningTaskDefinition, loadTaskDefinitionFile, type TaskDefinitionDoc } from './load.js';
import { renderTaskDefinition, resolveContainers } from './render.js';
import { loadSource, sourceKind, withTag, withTags } from './source.js';
import { writeRenderedTaskDefinition } from './write.js';

/** Everything known about the task definition before the first write. */
export interface TaskDefinitionPlan {
  /** Cleaned, with its tags; unknown keys removed when they are allowed (the SDK would drop them anyway). */
  base: TaskDefinitionDoc;
  /** Where the base came from, for the log: a file path or a revision ARN. */
  source: string;
  containers: string[];
  inputs: TaskDefinitionInputs;
  /** The revision the service runs now, which a re-run with nothing changed reuses; none for a new preview. */
  current: { arn: string; taskDefinition: TaskDefinitionDoc } | undefined;
  /** The family to register under when not the base's own (a preview's `{family}-pr-{number}`). */
  family: string | undefined;
  /** A tag every revision registered carries (a preview's, which its close finds the family by). */
  tag: Tag | undefined;
  /** Rendered with a stand-in for the pushed image: what the plan's checks read. */
  preview: TaskDefinitionDoc;
}

// As long as the digest reference a push gives (registry/repository@sha256:…), so the size check counts it.
const PENDING_IMAGE = `123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/${'x'.repeat(40)}@sha256:${'0'.repeat(64)}`;

/** Reads and checks only: loads the base and the current revision, checks keys, containers and changes. */
export async function planTaskDefinition(
  ecs: ECSClient,
  inputs: TaskDefinitionInputs,
  // Described once by the plan, which already checked it is active.
  // `running`: the service whose revision is current (a preview's own; null while the preview does not
  // exist), by default `described`; `familyFor`: a preview's own family.
  service: {
    cluster: string;
    described: Service;
    running?: Service | null;
    familyFor?: (family: string) => string;
    tag?: Tag;
  },
  log: Logger,
): Promise<TaskDefinitionPlan> {
  const template = await loadRunningTaskDefinition(ecs, service.described, service.cluster);
  const templateDoc = withTags(template.taskDefinition, template.tags);
  const runningService = service.running === undefined ? service.described : service.running;
  const running =
    runningService === service.described
      ? template
      : runningService && (await loadRunningTaskDefinition(ecs, runningService, service.cluster));
  const current = running
    ? { arn: running.arn, taskDefinition: withTags(running.taskDefinition, running.tags) }
    : undefined;
  const loaded =
    inputs.source === undefined
      ? { taskDefinition: templateDoc, source: template.arn }
      : await loadSource(ecs, inputs.source);
  const { base, containers, preview } = checkBase(loaded, inputs, log);
  const family = service.familyFor?.(String(base.family ?? ''));
  log.info(`Task definition: ${loaded.source}${family ? ` (registered as family ${family})` : ''}`);
  log.info(`Service runs: ${current?.arn ?? '(no service yet)'}`);
  log.info(
    `Containers to update: ${containers.map((c) => (inputs.images[c] ? `${c} (${inputs.images[c]})` : c)).join(', ')}`,
  );
  const tag = service.tag;
  return { base, source: loaded.source, containers, inputs, current, family, tag, preview };
}

/** Keys, containers and every change checked against the loaded base (a trial render), before any write. */
function checkBase(
  loaded: { taskDefinition: TaskDefinitionDoc; source: string },
  inputs: TaskDefinitionInputs,
  log: Logger,
): { base: TaskDefinitionDoc; containers: string[]; preview: TaskDefinitionDoc } {
  const { allowUnknownKeys } = inputs;
  const clean = cleanTaskDefinition(loaded.taskDefinition);
  const base = checkTaskDefinition(clean, loaded.source, allowUnknownKeys, log);
  const containers = resolveContainers(base, inputs.containers);
  // A trial render surfaces every remaining mistake (say, log options for a container without a
  // logConfiguration, or a cpu input Fargate does not take) now, before anything is pushed.
  const preview = renderTaskDefinition(base, {
    containers,
    image: PENDING_IMAGE,
    images: inputs.images,
    changes: inputs.changes,
  });
  checkLimits(preview, loaded.source, log);
  return { base, containers, preview };
}

/** The rendered task definition, where it was written, and what it changes against the current revision. */
export interface RenderedTaskDefinition {
  taskDefinition: TaskDefinitionDoc;
  path: string;
  changes: string[];
  /** The revision the service runs now, which `changes` are against; '' offline (nothing to compare with). */
  against: string;
}

/** The revision this step deploys: registered now, or the current one reused when nothing changed. */
export interface RegisteredTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  changed: boolean;
}

/** Renders with the pushed image (if any), writes the file and prints the diff. */
export async function renderStage(
  plan: TaskDefinitionPlan,
  imageUri: string | undefined,
  log: Logger,
): Promise<RenderedTaskDefinition> {
  const rendered = renderTaskDefinition(plan.base, {
    containers: plan.containers,
    image: imageUri,
    images: plan.inputs.images,
    changes: plan.inputs.changes,
  });
  if (plan.family) rendered.family = plan.family;
  const taskDefinition = plan.tag ? withTag(rendered, plan.tag) : rendered;
  const path = await writeRenderedTaskDefinition(taskDefinition);
  log.info(`Rendered ${path}`);
  const against = plan.current?.arn ?? '(nothing: a new service)';
  const changes = plan.current
    ? formatChanges(diffTaskDefinitions(plan.current.taskDefinition, taskDefinition))
    : [`+ family ${String(taskDefinition.family)}`];
  if (changes.length === 0) log.info(`No changes against ${against}`);
  else {
    // One call per line: each is made inert on its own, and a change's text can never start a line.
    log.info(`Changes against ${against}:`);
    for (const c of changes) log.info(`  ${c}`);
  }
  return { taskDefinition, path, changes, against };
}

/** Registers the rendered revision, or reuses the current one when nothing changed. */
export async function registerStage(
  ecs: ECSClient,
  plan: TaskDefinitionPlan,
  rendered: RenderedTaskDefinition,
  log: Logger,
): Promise<RegisteredTaskDefinition> {
  if (plan.current && rendered.changes.length === 0) {
    const { family, revision } = parseRevision(plan.current.arn) ?? { family: '', revision: 0 };
    log.info(`Reused ${plan.current.arn}: the rendered task definition equals it`);
    return { arn: plan.current.arn, family, revision, changed: false };
  }
  const input = rendered.taskDefinition as unknown as RegisterTaskDefinitionCommandInput;
  const registered = await registerTaskDefinition(ecs, input);
  log.info(`Registered ${registered.arn}`);
  return { ...registered, changed: true };
}

/**
 * `dry-run: true`: everything up to the first write. `pendingImage` is the reference a push would give
 * (its digest is not known without one); the rendered file is written, as the runner's own.
 */
export async function dryRunStage(
  plan: TaskDefinitionPlan,
  pendingImage: string | undefined,
  log: Logger,
): Promise<RenderedTaskDefinition> {
  const rendered = await renderStage(plan, pendingImage, log);
  log.info('Dry run: stopping before the first write');
  return rendered;
}

/**
 * `dry-run: true` without a service, as the official render action works: the task definition file is
 * loaded, checked (keys, values, containers, every change, the size limit) and rendered, and the file
 * written — with no client made and no request sent, so a pull request can check it without credentials.
 * There is no running revision to diff against.
 */
export async function offlineDryRunStage(
  inputs: TaskDefinitionInputs,
  pendingImage: string | undefined,
  log: Logger,
): Promise<RenderedTaskDefinition> {
  const source = inputs.source ?? '';
  if ((await sourceKind(source)) !== 'file') {
    throw inputError(
      'task-definition',
      source,
      'a task definition file (a dry run without a service reads no AWS)',
    );
  }
  const loaded = { taskDefinition: await loadTaskDefinitionFile(source), source };
  const { base, containers } = checkBase(loaded, inputs, log);
  log.info(`Task definition: ${source} (checked offline: no service, no AWS call)`);
  const taskDefinition = renderTaskDefinition(base, {
    containers,
    image: pendingImage,
    images: inputs.images,
    changes: inputs.changes,
  });
  const path = await writeRenderedTaskDefinition(taskDefinition);
  log.info(`Rendered ${path}`);
  log.info('Dry run: valid; nothing was compared with a running revision (no service given)');
  return { taskDefinition, path, changes: [], against: '' };
}
