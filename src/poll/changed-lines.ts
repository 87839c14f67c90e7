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
  /** A state that lasts (a deployment's counts): on a poll where it did not change, the poller's `unchanged` decides. */
  lasting?: boolean;
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

  /**
   * Splits one poll's lines, order kept: `news`, and `same` — the lasting lines that did not change, except
   * one that reads like a news line of this poll (it would say the same thing twice).
   */
  sort(lines: PollLine[]): { news: string[]; same: string[] } {
    const news: string[] = [];
    const same: string[] = [];
    for (const line of lines) {
      if (line.key === undefined) {
        news.push(line.text);
        continue;
      }
      if (line.initial !== undefined && !this.last.has(line.key)) this.last.set(line.key, line.initial);
      const changed = this.update(line.key, line.text);
      if (changed && !line.silent) news.push(line.text);
      else if (!changed && line.lasting) same.push(line.text);
    }
    return { news, same: same.filter((text) => !news.includes(text)) };
  }
}
