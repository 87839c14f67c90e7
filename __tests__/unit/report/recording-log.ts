import type { Logger } from '../../../src/report/log.js';

/** A Logger that keeps what a stage printed: its lines, its warnings, and the name of each group. */
export function recordingLog(): { log: Logger; lines: string[]; warnings: string[]; groups: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  const groups: string[] = [];
  const log: Logger = {
    info: (line) => void lines.push(line),
    warning: (line) => void warnings.push(line),
    group: async (name, fn) => {
      groups.push(name);
      return fn();
    },
  };
  return { log, lines, warnings, groups };
}
