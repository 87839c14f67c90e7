import type { NeededPolicy } from '../permissions.js';
import { code, escapeHtml } from './markdown.js';

/** The dry run's IAM section of the job summary: the policy the run would need, as JSON. Pure. */
export function renderPolicySection(needed: NeededPolicy): string {
  return [
    '## IAM policy this run needs',
    '',
    `Features: ${needed.features.map(code).join(', ')} (the README's IAM permissions; placeholders left in capitals).`,
    '',
    '<pre>',
    escapeHtml(JSON.stringify(needed.policy, null, 2)),
    '</pre>',
    '',
  ].join('\n');
}
