import * as core from '@actions/core';
import type { RolloutResult } from '../deploy/watch.js';

export interface DeployReport {
  image: string;
  imageUri: string;
  digest: string;
  tags: string[];
  taskDefinitionArn: string;
  revision: number;
  cluster: string;
  service: string;
  /** undefined = the rollout was not watched. */
  rollout: RolloutResult | undefined;
}

/** For text inside HTML (`<pre>`, `<summary>`): ECS event text is not ours and may contain `<`. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;');
}

/** For text in markdown, including table cells: HTML escaped, and markdown's own marks made literal. */
export function escapeMarkdown(text: string): string {
  // Backslashes first: the entities escapeHtml writes contain '#', which must stay unescaped.
  return escapeHtml(text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]#~])/g, '\\$1'));
}

function code(text: string): string {
  // A code span cannot hold a backtick or a pipe inside a table; fall back to escaped text.
  return /[`|\n]/.test(text) || text === '' ? escapeMarkdown(text) : `\`${text}\``;
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}

function headline(report: DeployReport): string {
  const where = escapeMarkdown(`${report.service} (cluster ${report.cluster})`);
  const r = report.rollout;
  if (!r || r.state === 'NOT_WAITED') return `## ✅ Updated ${where}, rollout not watched`;
  if (r.success) return `## ✅ Deployed to ${where}`;
  const what: Record<string, string> = {
    ROLLED_BACK: 'was rolled back',
    TIMED_OUT: 'timed out',
    FAILED: 'failed',
  };
  return `## ❌ Rollout to ${where} ${what[r.state] ?? 'failed'}`;
}

function revisionLabel(report: DeployReport): string {
  const name = report.taskDefinitionArn.slice(report.taskDefinitionArn.lastIndexOf('/') + 1);
  return name.endsWith(`:${report.revision}`) ? name : `${name} (revision ${report.revision})`;
}

/** The job summary as markdown. Pure, so every verdict's rendering is table-tested. */
export function renderSummary(report: DeployReport): string {
  const r = report.rollout;
  const rows: Array<[string, string]> = [
    ['Image', code(report.imageUri || report.image)],
    ['Tags', report.tags.length > 0 ? report.tags.map(code).join(', ') : '—'],
    ['Digest', code(report.digest)],
    ['Task definition', code(revisionLabel(report))],
    ['Cluster', code(report.cluster)],
    ['Service', code(report.service)],
    ['Rollout', r ? code(r.state) : code('NOT_WAITED')],
    ['Duration', r && r.state !== 'NOT_WAITED' ? formatDuration(r.durationMs) : '—'],
  ];
  const parts = [headline(report), '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''];
  if (r && !r.success) parts.push(`**Reason:** ${escapeMarkdown(r.reason)}`, '');
  if (r && r.timeline.length > 0) {
    parts.push(
      '<details>',
      `<summary>Rollout timeline (${r.timeline.length} lines)</summary>`,
      '',
      '<pre>',
      ...r.timeline.map((t) => escapeHtml(t.text)),
      '</pre>',
      '',
      '</details>',
      '',
    );
  }
  return parts.join('\n');
}

export async function writeSummary(report: DeployReport): Promise<void> {
  await core.summary.addRaw(renderSummary(report)).write();
}
