import stripAnsi from 'strip-ansi';

/** Characters of a version report kept in receipts and presence; a longer one is cut and says so. */
export const VERSION_REPORT_CHARS = 256;
export const TRUNCATION_MARK = '…[truncated]';

// C0 controls, DEL and C1 controls: they move cursors, ring bells or end strings in C readers
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A command's output as data, not terminal bytes: escape sequences removed whole
 * (`\u001b[31m`, not just the ESC), any other control character dropped, at most `maxChars`
 * characters with an explicit mark when cut. Undecodable bytes were already replaced by
 * U+FFFD when the output was decoded as UTF-8.
 */
export function cleanText(raw: string, maxChars: number): { text: string; truncated: boolean } {
  const text = stripAnsi(raw).replace(CONTROL, '').trim();
  const chars = [...text];
  if (chars.length <= maxChars) return { text, truncated: false };
  return { text: chars.slice(0, maxChars).join('') + TRUNCATION_MARK, truncated: true };
}

/** One line of a version-report command's output, as receipts and presence carry it. */
export const cleanVersionLine = (raw: string) => cleanText(raw, VERSION_REPORT_CHARS);
