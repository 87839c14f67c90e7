/**
 * Splits a command line into words the way a POSIX shell does, without running anything: single quotes
 * are literal, double quotes honour \" \\ \$ \` and line continuations, a backslash outside quotes escapes
 * the next character. ECS runs `command` without a shell, so nothing is expanded, and unquoted operators
 * (| ; & < > and backticks) are refused: a shell would have treated them as syntax, ECS would pass them on.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at character ${i + 1}`);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail('unterminated single quote');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length) {
          const next = text[i + 1] as string;
          if (next === '\n') i += 2;
          else if ('"\\$`'.includes(next)) {
            word += next;
            i += 2;
          } else {
            word += d;
            i++;
          }
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) {
        i = start;
        fail('unterminated double quote');
      }
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) fail('backslash at the end');
      const next = text[i + 1] as string;
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else if ('|;&<>`'.includes(c)) {
      fail(`unquoted '${c}' (ECS runs the command without a shell: quote it, or use sh -c '...')`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
