import { EOL } from 'node:os';

/**
 * How the step prints. Every line of the log and every workflow command (group, warning, mask, error)
 * goes out through `writeLine`, so what reaches the runner is decided here and nowhere else. Nothing here
 * loads @actions/core: report/failure.ts prints through this module on the bad-input path, where loading
 * core would cost more than the rest of a failed start-up together.
 */

/** What stages print through: a line, a warning annotation, and a foldable group around some work. */
export interface Logger {
  info: (line: string) => void;
  warning: (line: string) => void;
  group: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

function writeLine(line: string): void {
  process.stdout.write(`${line}${EOL}`);
}

/** The escaping the runner undoes in workflow-command data, so a value cannot end the command early. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command of our own (`::name::data`); the data is escaped. */
export function command(name: string, data = ''): void {
  writeLine(`::${name}::${escapeData(data)}`);
}

/** The step's log, as the runner reads it. */
export const stepLog: Logger = {
  info: (line) => writeLine(line),
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

/** Asks the runner to hide a secret in every later line; call it before anything could print it. */
export function mask(secret: string): void {
  command('add-mask', secret);
}
