import stripAnsi from 'strip-ansi';

// Whitespace controls, and Unicode line separators, become one space: a host's text stays on
// its own line of our output and cannot pose as a line of ours
const BREAKS = /[\t\n\v\f\r\u2028\u2029]+/g;
// every other C0 control, DEL, C1 controls (8-bit CSI among them) and the bidi overrides
// that reorder what a reader sees
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The one gate for text that came from an agent or the hub (receipt details, versions, check
 * answers, hub messages) on its way to a terminal: escape sequences are removed whole (by
 * strip-ansi, so `\u001b[2J` leaves no `[2J` behind), then every remaining control character;
 * tabs and line breaks become a space. `--json` output never passes here: JSON escapes them.
 */
export function terminalSafe(text: string): string {
  return stripAnsi(text).replace(BREAKS, ' ').replace(CONTROLS, '');
}

/** terminalSafe, for values that may be absent */
export const safeOrEmpty = (text: string | null | undefined): string =>
  text === null || text === undefined ? '' : terminalSafe(text);
