import type { ScanGateResult } from '../image/ecr/scan.js';
import { code, escapeMarkdown } from './markdown.js';
import { SEVERITIES, type Severity } from '../inputs/registry.js';

/** The scan gate's section of the job summary: the verdict and the count per severity. Pure. */
export function renderScanSection(result: ScanGateResult): string {
  const { verdict, threshold } = result;
  const head =
    verdict.kind === 'passed'
      ? `### ✅ Image scan: nothing at or above ${threshold}`
      : verdict.kind === 'blocked'
        ? `### ❌ Image scan: ${verdict.blocking} finding(s) at or above ${threshold}, not deployed`
        : `### ⚠️ Image scan gave no verdict`;
  const lines = [head, '', `Image ${code(result.digest)}`, ''];
  if (verdict.kind === 'passed' || verdict.kind === 'blocked') {
    const severities = [
      ...[...SEVERITIES].reverse(),
      ...Object.keys(verdict.counts).filter((s) => !SEVERITIES.includes(s as Severity)),
    ];
    lines.push(
      '| Severity | Findings |',
      '|---|---|',
      ...severities.map((s) => `| ${escapeMarkdown(s)} | ${verdict.counts[s] ?? 0} |`),
      '',
    );
  } else if (verdict.kind === 'unavailable') {
    lines.push(`Status: ${escapeMarkdown(verdict.reason)}`, '');
  }
  return lines.join('\n');
}
