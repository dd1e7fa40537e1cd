export type TokenKind = 'word' | ',' | '!' | '=' | '==' | '!=' | '(' | ')' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const WORD = /[A-Za-z0-9_.\-/]/;

/** Splits a selector into tokens; an unexpected character becomes an error token the parser reports. */
export function tokenize(input: string): Token[] | { position: number; found: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: two, text: two, position: i });
      i += 2;
      continue;
    }
    if (c === ',' || c === '!' || c === '=' || c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, position: i });
      i++;
      continue;
    }
    if (WORD.test(c)) {
      const start = i;
      while (i < input.length && WORD.test(input[i]!)) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), position: start });
      continue;
    }
    return { position: i, found: c };
  }
  tokens.push({ kind: 'end', text: '', position: input.length });
  return tokens;
}
