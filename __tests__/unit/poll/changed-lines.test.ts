import { describe, expect, it } from '@jest/globals';
import { ChangedLines, type PollLine } from '../../../src/poll/changed-lines.js';

/** Each poll's lines in, what each poll prints as news and as unchanged out. */
function run(polls: PollLine[][]): Array<{ news: string[]; same: string[] }> {
  const memory = new ChangedLines();
  return polls.map((lines) => memory.sort(lines));
}

const deployment = (text: string): PollLine => ({ key: 'deployment 1', text, lasting: true });

describe('ChangedLines', () => {
  it.each<[string, PollLine[][], Array<{ news: string[]; same: string[] }>]>([
    [
      'a line without a key is always news',
      [[{ text: 'task a stopped' }], [{ text: 'task a stopped' }]],
      [
        { news: ['task a stopped'], same: [] },
        { news: ['task a stopped'], same: [] },
      ],
    ],
    [
      'a keyed line is news when first seen and when its text changes, silent in between',
      [
        [{ key: 's', text: 'IN_PROGRESS' }],
        [{ key: 's', text: 'IN_PROGRESS' }],
        [{ key: 's', text: 'SUCCESSFUL' }],
      ],
      [
        { news: ['IN_PROGRESS'], same: [] },
        { news: [], same: [] },
        { news: ['SUCCESSFUL'], same: [] },
      ],
    ],
    [
      'a lasting line that did not change is given back as unchanged',
      [[deployment('running 1/2')], [deployment('running 1/2')], [deployment('running 2/2')]],
      [
        { news: ['running 1/2'], same: [] },
        { news: [], same: ['running 1/2'] },
        { news: ['running 2/2'], same: [] },
      ],
    ],
    [
      'an unchanged line that reads like a news line of the same poll is not given twice',
      [
        [deployment('ACTIVE rev 6'), { key: 'deployment 2', text: 'x' }],
        [deployment('ACTIVE rev 6'), { key: 'deployment 2', text: 'ACTIVE rev 6' }],
      ],
      [
        { news: ['ACTIVE rev 6', 'x'], same: [] },
        { news: ['ACTIVE rev 6'], same: [] },
      ],
    ],
    [
      'an initial text counts as said before the key was first seen',
      [
        [{ key: 'e', text: 'Install Pending', initial: 'Install Pending' }],
        [{ key: 'e', text: 'Install InProgress', initial: 'Install Pending' }],
        [{ key: 'f', text: 'AllowTraffic Succeeded', initial: 'AllowTraffic Pending' }],
      ],
      [
        { news: [], same: [] },
        { news: ['Install InProgress'], same: [] },
        { news: ['AllowTraffic Succeeded'], same: [] },
      ],
    ],
    [
      'a silent line is remembered, never printed, so the text before it is news again',
      [
        [{ key: 't', text: 'Blue 100%' }],
        [{ key: 't', text: '', silent: true }],
        [{ key: 't', text: 'Blue 100%' }],
      ],
      [
        { news: ['Blue 100%'], same: [] },
        { news: [], same: [] },
        { news: ['Blue 100%'], same: [] },
      ],
    ],
    [
      'keys are independent and order is kept',
      [
        [{ key: 'a', text: '1' }, { text: 'event' }, { key: 'b', text: '2' }],
        [
          { key: 'b', text: '3' },
          { key: 'a', text: '1' },
        ],
      ],
      [
        { news: ['1', 'event', '2'], same: [] },
        { news: ['3'], same: [] },
      ],
    ],
  ])('%s', (_what, polls, printed) => {
    expect(run(polls)).toEqual(printed);
  });

  it('update says whether a text is new for its key, and remembers it', () => {
    const memory = new ChangedLines();
    expect([
      memory.update('k', 'a'),
      memory.update('k', 'a'),
      memory.update('k', 'b'),
      memory.update('other', 'b'),
    ]).toEqual([true, false, true, true]);
  });
});
