import * as core from '@actions/core';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient, RegisterTaskDefinitionCommandInput, Service } from '@aws-sdk/client-ecs';
import { registerTaskDefinition } from './register.js';
import { UserError } from '../errors.js';
import { pushRepository, pushTarget, registryLogin, type EcrPlan } from '../image/ecr/plan.js';
import type { ImageInputs } from '../inputs/image.js';
import type { TaskDefinitionInputs } from '../inputs/taskdef.js';
import { escapeHtml } from '../report/summary.js';
import { cleanTaskDefinition } from './clean.js';
import { diffTaskDefinitions, formatChanges } from './diff.js';
import { loadRunningTaskDefinition, type TaskDefinitionDoc } from './load.js';
import { renderTaskDefinition, resolveContainers } from './render.js';
import { loadSource, withTags } from './source.js';
import { describeUnknownKey, findUnknownKeys } from './validate.js';
import { writeRenderedTaskDefinition } from './write.js';

/** Everything known about the task definition before the first write. */
export interface TaskDefinitionPlan {
  /** Cleaned, with its tags; unknown keys removed when they are allowed (the SDK would drop them anyway). */
  base: TaskDefinitionDoc;
  /** Where the base came from, for the log: a file path or a revision ARN. */
  source: string;
  containers: string[];
  inputs: TaskDefinitionInputs;
  /** The revision the service runs now, which a re-run with nothing changed reuses. */
  current: { arn: string; taskDefinition: TaskDefinitionDoc };
}

/** Unknown keys fail (or only warn, with allow-unknown-keys) before anything is written. */
function checkKeys(doc: TaskDefinitionDoc, source: string, allow: boolean): TaskDefinitionDoc {
  const unknown = findUnknownKeys(doc);
  if (unknown.length === 0) return doc;
  const lines = unknown.map(describeUnknownKey);
  if (!allow) {
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more: ${lines.slice(1).join('; ')})` : '';
    throw new UserError(
      `Task definition '${source}': ${lines[0]}${more}. Fix it, or set allow-unknown-keys: true to drop unknown keys with a warning.`,
    );
  }
  for (const line of lines) core.warning(`Task definition '${source}': ${line} (dropped)`);
  const copy = structuredClone(doc);
  for (const u of unknown) dropPath(copy, u.path);
  return copy;
}

/** Deletes the key at a path written as `a[1].b.c`. */
function dropPath(doc: TaskDefinitionDoc, path: string): void {
  const parts = path.split(/\.|(?=\[)/).map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p));
  let node: unknown = doc;
  for (const part of parts.slice(0, -1)) node = (node as Record<string | number, unknown>)?.[part];
  const last = parts.at(-1);
  if (typeof node === 'object' && node !== null && typeof last === 'string') {
    delete (node as Record<string, unknown>)[last];
  }
}

/** Reads and checks only: loads the base and the current revision, checks keys, containers and changes. */
export async function planTaskDefinition(
  ecs: ECSClient,
  inputs: TaskDefinitionInputs,
  // Described once by the plan, which already checked it is active.
  service: { cluster: string; described: Service },
  log: (line: string) => void,
): Promise<TaskDefinitionPlan> {
  const running = await loadRunningTaskDefinition(ecs, service.described, service.cluster);
  const current = { arn: running.arn, taskDefinition: withTags(running.taskDefinition, running.tags) };
  const loaded =
    inputs.source === undefined
      ? { taskDefinition: current.taskDefinition, source: current.arn }
      : await loadSource(ecs, inputs.source);
  const base = checkKeys(cleanTaskDefinition(loaded.taskDefinition), loaded.source, inputs.allowUnknownKeys);
  const containers = resolveContainers(base, inputs.containers);
  // A trial render surfaces every remaining mistake (say, log options for a container without a
  // logConfiguration) now, before anything is pushed.
  renderTaskDefinition(base, {
    containers,
    image: 'placeholder',
    images: inputs.images,
    changes: inputs.changes,
  });
  log(`Task definition: ${loaded.source}`);
  log(`Service runs: ${current.arn}`);
  log(
    `Containers to update: ${containers.map((c) => (inputs.images[c] ? `${c} (${inputs.images[c]})` : c)).join(', ')}`,
  );
  return { base, source: loaded.source, containers, inputs, current };
}

/** The rendered task definition, where it was written, and what it changes against the current revision. */
export interface RenderedTaskDefinition {
  taskDefinition: TaskDefinitionDoc;
  path: string;
  changes: string[];
}

/** Renders with the pushed image (if any), writes the file (output `task-definition`) and prints the diff. */
export async function renderStage(
  plan: TaskDefinitionPlan,
  imageUri: string | undefined,
  log: (line: string) => void = (line) => core.info(line),
): Promise<RenderedTaskDefinition> {
  const taskDefinition = renderTaskDefinition(plan.base, {
    containers: plan.containers,
    image: imageUri,
    images: plan.inputs.images,
    changes: plan.inputs.changes,
  });
  const path = await writeRenderedTaskDefinition(taskDefinition);
  core.setOutput('task-definition', path);
  log(`Rendered ${path}`);
  const changes = formatChanges(diffTaskDefinitions(plan.current.taskDefinition, taskDefinition));
  if (changes.length === 0) log(`No changes against ${plan.current.arn}`);
  else log(`Changes against ${plan.current.arn}:\n${changes.map((c) => `  ${c}`).join('\n')}`);
  return { taskDefinition, path, changes };
}

/** Registers the rendered revision, or reuses the current one when nothing changed. Sets the outputs. */
export async function registerStage(
  ecs: ECSClient,
  plan: TaskDefinitionPlan,
  rendered: RenderedTaskDefinition,
  log: (line: string) => void,
): Promise<{ arn: string; family: string; revision: number; changed: boolean }> {
  let result: { arn: string; family: string; revision: number; changed: boolean };
  if (rendered.changes.length === 0) {
    const revision = Number(/:(\d+)$/.exec(plan.current.arn)?.[1] ?? 0);
    const family = /task-definition\/([^:]+)/.exec(plan.current.arn)?.[1] ?? '';
    result = { arn: plan.current.arn, family, revision, changed: false };
    log(`Reused ${plan.current.arn}: the rendered task definition equals it`);
  } else {
    const input = rendered.taskDefinition as unknown as RegisterTaskDefinitionCommandInput;
    const registered = await registerTaskDefinition(ecs, input);
    result = { ...registered, changed: true };
    log(`Registered ${registered.arn}`);
  }
  core.setOutput('task-definition-arn', result.arn);
  core.setOutput('task-definition-revision', String(result.revision));
  core.setOutput('task-definition-changed', String(result.changed));
  return result;
}

/** The dry-run summary: what would be registered and what it changes. Pure, for tests. */
function dryRunSummary(plan: TaskDefinitionPlan, rendered: RenderedTaskDefinition): string {
  const diff =
    rendered.changes.length === 0 ? ['(no changes: the current revision would be reused)'] : rendered.changes;
  return [
    '## Dry run: nothing was pushed, registered or deployed',
    '',
    `Compared with \`${plan.current.arn}\`; rendered file \`${rendered.path}\`.`,
    '',
    '<pre>',
    ...diff.map(escapeHtml),
    '</pre>',
    '',
    '<details>',
    '<summary>Rendered task definition</summary>',
    '',
    '<pre>',
    escapeHtml(JSON.stringify(maskSecrets(rendered.taskDefinition), null, 2)),
    '</pre>',
    '',
    '</details>',
    '',
  ].join('\n');
}

/** Secret references stay out of the summary (the rendered file on the runner has them). */
function maskSecrets(td: TaskDefinitionDoc): TaskDefinitionDoc {
  const copy = structuredClone(td);
  for (const c of Array.isArray(copy['containerDefinitions']) ? copy['containerDefinitions'] : []) {
    if (typeof c !== 'object' || c === null) continue;
    const container = c as Record<string, unknown>;
    if (Array.isArray(container['secrets'])) {
      container['secrets'] = container['secrets'].map((s) => ({ ...(s as object), valueFrom: '(hidden)' }));
    }
  }
  return copy;
}

/**
 * `dry-run: true`: everything up to the first write. The ECR login is checked (GetAuthorizationToken
 * reads only) so the image reference shows the real registry; the digest is not known without a push.
 */
export async function dryRunStage(
  ecr: ECRClient,
  plan: TaskDefinitionPlan,
  image: ImageInputs | undefined,
  ecrPlan: EcrPlan | undefined,
  log: (line: string) => void,
): Promise<RenderedTaskDefinition> {
  let pending: string | undefined;
  if (image) {
    // The same login and destination the push would use: another account's registry or ECR Public included.
    const login = pushTarget(await registryLogin(ecr, ecrPlan), ecrPlan);
    log(`ECR login works for ${login.registry}`);
    pending = `${login.registry}/${pushRepository(ecrPlan, image.repository)}@sha256:(digest of the push)`;
  }
  const rendered = await renderStage(plan, pending, log);
  core.setOutput('task-definition-changed', String(rendered.changes.length > 0));
  await core.summary.addRaw(dryRunSummary(plan, rendered)).write();
  log('Dry run: stopping before the first write');
  return rendered;
}
