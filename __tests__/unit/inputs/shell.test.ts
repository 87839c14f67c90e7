import { describe, expect, it } from '@jest/globals';
import { splitShellWords } from '../../../src/inputs/shell.js';

describe('splitShellWords', () => {
  it.each([
    ['node server.js', ['node', 'server.js']],
    ['  spaced   out\t\nwords ', ['spaced', 'out', 'words']],
    [`sh -c 'echo "a b" && exit 1'`, ['sh', '-c', 'echo "a b" && exit 1']],
    [`--title "Black Friday"`, ['--title', 'Black Friday']],
    [`'it'\\''s'`, ["it's"]],
    [`"say \\"hi\\" \\\\ \\$HOME \\n"`, ['say "hi" \\ $HOME \\n']],
    [`a\\ b c`, ['a b', 'c']],
    [`''`, ['']],
    [`"" x`, ['', 'x']],
    [`--opt=a=b`, ['--opt=a=b']],
    [`pre"mid dle"'post fix'`, ['premid dlepost fix']],
    ['$HOME ~ *.txt', ['$HOME', '~', '*.txt']],
    ['line \\\ncontinued', ['line', 'continued']],
    ['"multi\\\nline"', ['multiline']],
    ['', []],
  ])('splits %j into %j', (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });

  it.each([
    [`echo 'open`, 'unterminated single quote at character 6'],
    [`echo "open`, 'unterminated double quote at character 6'],
    ['trailing \\', 'backslash at the end at character 10'],
    ['a && b', "unquoted '&'"],
    ['a | b', "unquoted '|'"],
    ['a; b', "unquoted ';'"],
    ['a > out', "unquoted '>'"],
    ['`id`', "unquoted '`'"],
  ])('refuses %j', (text, message) => {
    expect(() => splitShellWords(text)).toThrow(message);
  });
});
