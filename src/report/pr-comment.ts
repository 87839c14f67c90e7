import { code, escapeMarkdown, formatDuration } from './markdown.js';

/** What closing a pull request removed of its preview (empty `removed`: nothing was left). */
export interface PreviewRemoved {
  service: string;
  removed: string[];
}

/** What a preview's PR comment says, at each point of its life. */
export type PreviewComment =
  | { kind: 'deploying'; service: string; runUrl: string; sha: string }
  | {
      kind: 'deployed';
      success: boolean;
      service: string;
      url: string | undefined;
      digest: string;
      revision: string;
      durationMs: number | undefined;
      runUrl: string;
      sha: string;
      /** Why it failed; undefined on success. */
      reason: string | undefined;
    }
  | ({ kind: 'removed'; runUrl: string } & PreviewRemoved);

/** An autolink when the URL can be one (no space, `<`, `>` or `|`, which would end it or the cell), else text. */
function link(url: string): string {
  return /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${url}>` : escapeMarkdown(url);
}

/** Pure: the comment's markdown (the marker that finds it again is added by the GitHub edge). */
export function renderPreviewComment(c: PreviewComment): string {
  const run = `[workflow run](${c.runUrl})`;
  switch (c.kind) {
    case 'deploying':
      return [
        `### ⏳ Preview ${code(c.service)} is deploying`,
        '',
        `Commit ${code(c.sha.slice(0, 12))} · ${run}`,
      ].join('\n');
    case 'deployed': {
      const rows: Array<[string, string]> = [
        ['Status', c.success ? '✅ deployed' : '❌ failed'],
        ['URL', c.url ? link(c.url) : '(none)'],
        ['Image digest', code(c.digest || '(none)')],
        ['Revision', code(c.revision)],
        ['Rollout time', c.durationMs === undefined ? '(not watched)' : formatDuration(c.durationMs)],
        ['Commit', code(c.sha.slice(0, 12))],
        ['Run', run],
      ];
      if (c.reason) rows.splice(1, 0, ['Reason', escapeMarkdown(c.reason)]);
      return [
        `### ${c.success ? '✅' : '❌'} Preview ${code(c.service)} ${c.success ? 'is live' : 'failed'}`,
        '',
        '| | |',
        '|---|---|',
        ...rows.map(([k, v]) => `| ${k} | ${v} |`),
      ].join('\n');
    }
    case 'removed': {
      const what =
        c.removed.length > 0
          ? c.removed.map((r) => `- ${escapeMarkdown(r)}`)
          : ['Nothing was left to remove.'];
      return [`### 🧹 Preview ${code(c.service)} removed`, '', ...what, '', run].join('\n');
    }
  }
}
