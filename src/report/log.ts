import { EOL } from 'node:os';

/**
 * How the step prints. Every line of the log and every workflow command (group, warning, mask, error)
 * goes out through `writeLine`, and every text in it through `inert`, so what reaches the runner is decided
 * here and nowhere else (eslint.config.js forbids printing anywhere else in src/). Nothing here loads
 * @actions/core: report/failure.ts prints through this module on the bad-input path, where loading core
 * would cost more than the rest of a failed start-up together.
 */

/** What stages print through: a line, a warning annotation, and a foldable group around some work. */
export interface Logger {
  info: (line: string) => void;
  warning: (line: string) => void;
  group: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

// Characters shown as an escape rather than printed: every line break a reader or the runner may honour
// (\n, \r, \v, \f, NEL, LINE/PARAGRAPH SEPARATOR), the other control characters (an ANSI escape can
// repaint or hide what came before) and the bidirectional overrides (text that reads other than it is).
// The tab stays: it breaks nothing.
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\v': '\\v', '\f': '\\f' };

function visibleEscape(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// What the runner reads as a command (actions/runner ActionCommand): a line that starts with `::` once
// leading white space is trimmed, and `##[` anywhere in a line. A zero-width space between the two marks
// keeps the text as it reads and stops the match.
const ZERO_WIDTH_SPACE = '\u200b';
const LEADING_COMMAND = /^(\s*):(?=:)/;
const OLD_COMMAND = /#(?=#\[)/g;

/**
 * Text from anywhere (a file, an input, AWS, a registry, docker) made inert for the runner: one line, which
 * no runner reads as a workflow command. The one function every printed text goes through.
 */
export function inert(text: string): string {
  return text
    .replace(UNPRINTABLE, visibleEscape)
    .replace(LEADING_COMMAND, `$1:${ZERO_WIDTH_SPACE}`)
    .replace(OLD_COMMAND, `#${ZERO_WIDTH_SPACE}`);
}

function writeLine(line: string): void {
  process.stdout.write(`${line}${EOL}`);
}

/** The escaping the runner undoes in workflow-command data, so a value cannot end the command early. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (`title=…`) also end at `,` and `:`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A workflow command of our own (`::name props::data`). The name is ours; the data and the property
 * values are made inert and escaped, so neither can end the command or start another.
 */
export function command(name: string, data = '', properties: Record<string, string> = {}): void {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(inert(value))}`)
    .join(',');
  writeLine(`::${name}${props === '' ? '' : ` ${props}`}::${escapeData(inert(data))}`);
}

/** The step's log, as the runner reads it: each line inert. */
export const stepLog: Logger = {
  info: (line) => writeLine(inert(line)),
  warning: (line) => command('warning', line),
  group: async (name, fn) => {
    command('group', name);
    try {
      return await fn();
    } finally {
      command('endgroup');
    }
  },
};

/** A text of several lines (a stack) for the debug log: one inert `::debug::` line each. */
export function debugLines(text: string): void {
  for (const line of text.split(/\r\n|\n|\r/)) command('debug', line);
}

/**
 * Asks the runner to hide a secret in every later line; call it before anything could print it. The only
 * text not made inert: the runner must be handed the secret exactly (escaped, it cannot end the command).
 */
export function mask(secret: string): void {
  writeLine(`::add-mask::${escapeData(secret)}`);
}
