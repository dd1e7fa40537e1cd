import { usageError } from '../errors.js';

/**
 * Reads one line from the terminal. With `hidden`, nothing is echoed (passphrases):
 * the terminal goes to raw mode and we handle backspace and Ctrl-C ourselves.
 */
export function readLine(prompt: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(usageError('CANCELLED', 'cancelled'));
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
      return undefined;
    };
    stdin.on('data', onData);
  });
}

/** y/N question; anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const answer = await readLine(`${question} [y/N] `, false);
  return /^(y|yes)$/i.test(answer.trim());
}
