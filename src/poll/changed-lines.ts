/**
 * One poll's line. Without a key it is always news (an event, a stopped task). With a key it is news only when
 * its text differs from what that key had on an earlier poll, so a long wait prints what changed.
 */
export interface PollLine {
  text: string;
  key?: string;
  /** What the key counts as having said before it was first seen (CodeDeploy lists every event Pending). */
  initial?: string;
  /** Remembered, never printed: a key with nothing to say now says its next text even if it said it before. */
  silent?: boolean;
}

/** Remembers the last text of each key. Pure apart from that memory, so snapshots can be table-tested into lines. */
export class ChangedLines {
  private readonly last = new Map<string, string>();

  /** Whether `text` is new for `key`; remembered either way. */
  update(key: string, text: string): boolean {
    const before = this.last.get(key);
    this.last.set(key, text);
    return before !== text;
  }

  /** The lines of one poll that are news, order kept. */
  news(lines: PollLine[]): string[] {
    const news: string[] = [];
    for (const line of lines) {
      if (line.key === undefined) {
        news.push(line.text);
        continue;
      }
      if (line.initial !== undefined && !this.last.has(line.key)) this.last.set(line.key, line.initial);
      if (this.update(line.key, line.text) && !line.silent) news.push(line.text);
    }
    return news;
  }
}
