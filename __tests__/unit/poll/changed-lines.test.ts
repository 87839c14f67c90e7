import { describe, expect, it } from '@jest/globals';
import { ChangedLines, type PollLine } from '../../../src/poll/changed-lines.js';

/** Each poll's lines in, what each poll prints as news out. */
function run(polls: PollLine[][]): string[][] {
  const memory = new ChangedLines();
  return polls.map((lines) => memory.news(lines));
}

const deployment = (text: string): PollLine => ({ key: 'deployment 1', text });

describe('ChangedLines', () => {
  it.each<[string, PollLine[][], string[][]]>([
    [
      'a line without a key is always news',
      [[{ text: 'task a stopped' }], [{ text: 'task a stopped' }]],
      [['task a stopped'], ['task a stopped']],
    ],
    [
      'a keyed line is news when first seen and when its text changes, silent in between',
      [
        [{ key: 's', text: 'IN_PROGRESS' }],
        [{ key: 's', text: 'IN_PROGRESS' }],
        [{ key: 's', text: 'SUCCESSFUL' }],
      ],
      [['IN_PROGRESS'], [], ['SUCCESSFUL']],
    ],
    [
      'a deployment line that did not change is not given again, however many polls',
      [
        [deployment('running 1/2')],
        [deployment('running 1/2')],
        [deployment('running 1/2')],
        [deployment('running 2/2')],
      ],
      [['running 1/2'], [], [], ['running 2/2']],
    ],
    [
      'an initial text counts as said before the key was first seen',
      [
        [{ key: 'e', text: 'Install Pending', initial: 'Install Pending' }],
        [{ key: 'e', text: 'Install InProgress', initial: 'Install Pending' }],
        [{ key: 'f', text: 'AllowTraffic Succeeded', initial: 'AllowTraffic Pending' }],
      ],
      [[], ['Install InProgress'], ['AllowTraffic Succeeded']],
    ],
    [
      'a silent line is remembered, never printed, so the text before it is news again',
      [
        [{ key: 't', text: 'Blue 100%' }],
        [{ key: 't', text: '', silent: true }],
        [{ key: 't', text: 'Blue 100%' }],
      ],
      [['Blue 100%'], [], ['Blue 100%']],
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
      [['1', 'event', '2'], ['3']],
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
