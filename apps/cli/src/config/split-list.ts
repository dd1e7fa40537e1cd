/** A comma list as typed on the command line (`--hosts a, b,`), blanks dropped. */
export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
