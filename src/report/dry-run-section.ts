import type { TaskDefinitionDoc } from '../taskdef/load.js';
import type { RenderedTaskDefinition } from '../taskdef/stage.js';
import { code, escapeHtml } from './markdown.js';

/** The dry run's section of the job summary: what would be registered and what it changes. Pure. */
export function renderDryRunSection(rendered: RenderedTaskDefinition): string {
  const offline = rendered.against === '';
  const diff = offline
    ? ['(checked offline: no service, so no running revision to compare with)']
    : rendered.changes.length === 0
      ? ['(no changes: the current revision would be reused)']
      : rendered.changes;
  return [
    '## Dry run: nothing was pushed, registered or deployed',
    '',
    offline
      ? `Checked offline, without AWS; rendered file ${code(rendered.path)}.`
      : `Compared with ${code(rendered.against)}; rendered file ${code(rendered.path)}.`,
    '',
    '<pre>',
    ...diff.map(escapeHtml),
    '</pre>',
    '',
    '<details>',
    '<summary>Rendered task definition</summary>',
    '',
    '<pre>',
    escapeHtml(JSON.stringify(hideSecretReferences(rendered.taskDefinition), null, 2)),
    '</pre>',
    '',
    '</details>',
    '',
  ].join('\n');
}

/** Secret references stay out of the summary (the rendered file on the runner has them). */
function hideSecretReferences(td: TaskDefinitionDoc): TaskDefinitionDoc {
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
