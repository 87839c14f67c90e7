/** For text inside HTML (`<pre>`, `<summary>`): ECS event text is not ours and may contain `<`. */
export function escapeHtml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\|/g, '&#124;')
      // Inside <pre> a line break is fine, but only \n: the others read differently from one renderer to the next.
      .replace(/\r\n?/g, '\n')
      .replace(/\u2028/g, '&#8232;')
      .replace(/\u2029/g, '&#8233;')
  );
}

// Every break that could end a table row or a paragraph in some renderer.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/** For text in markdown, including table cells: HTML escaped, and markdown's own marks made literal. */
export function escapeMarkdown(text: string): string {
  // Backslashes first: the entities escapeHtml writes contain '#', which must stay unescaped.
  return escapeHtml(text.replace(LINE_BREAKS, ' ').replace(/([\\`*_[\]#~])/g, '\\$1'));
}

export function code(text: string): string {
  // A code span cannot hold a backtick or a pipe inside a table; fall back to escaped text.
  return /[`|\n\r\v\f\u0085\u2028\u2029]/.test(text) || text === '' ? escapeMarkdown(text) : `\`${text}\``;
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}
