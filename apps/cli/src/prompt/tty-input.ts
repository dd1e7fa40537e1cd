import { usageError } from '../errors.js';

/** Characters typed (or pasted) after the end of the previous line: the next prompt's input. */
let typedAhead = '';

/**
 * Reads one line from the terminal. With `hidden`, nothing is echoed (passphrases):
 * the terminal goes to raw mode and we handle backspace and Ctrl-C ourselves.
 */
export function readLine(prompt: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let text = '';
    const wasRaw = stdin.isRaw;
    const done = (rest: string, err?: Error) => {
      typedAhead = rest;
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    /** true when the line is complete */
    const consume = (chunk: string): boolean => {
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i]!;
        if (ch === '\r' || ch === '\n') {
          // a CR LF pair ends one line, not two
          const next = ch === '\r' && chunk[i + 1] === '\n' ? i + 2 : i + 1;
          done(chunk.slice(next));
          return true;
        }
        if (ch === '\u0003') {
          done('', usageError('CANCELLED', 'cancelled'));
          return true;
        }
        if (ch === '\u007f' || ch === '\b') {
          if (text.length > 0) {
            text = text.slice(0, -1);
            if (!hidden) process.stderr.write('\b \b');
          }
        } else if (ch >= ' ') {
          text += ch;
          if (!hidden) process.stderr.write(ch);
        }
      }
      return false;
    };
    const onData = (chunk: string) => {
      consume(chunk);
    };
    // raw mode before the prompt shows: whatever is typed once it is visible is never echoed
    stdin.setRawMode?.(true);
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    const ahead = typedAhead;
    typedAhead = '';
    if (ahead && consume(ahead)) return;
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** y/N question; anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const answer = await readLine(`${question} [y/N] `, false);
  return /^(y|yes)$/i.test(answer.trim());
}
