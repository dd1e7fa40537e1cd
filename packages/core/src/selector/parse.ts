import { LIMITS } from '../limits.js';
import { labelKey, labelValue } from '../schemas/primitives.js';
import type { Requirement, Selector, SelectorError } from './ast.js';
import type { Token } from './tokenize.js';
import { tokenize } from './tokenize.js';

export type ParseResult = { ok: true; selector: Selector } | { ok: false; error: SelectorError };

class ParseFailure {
  constructor(readonly error: SelectorError) {}
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of input' : `'${token.text}'`;
}

const CACHED_SELECTORS = 256;
const parsedSelectors = new Map<string, ParseResult>();

/**
 * Kubernetes label-selector grammar: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`; a comma means AND. Never throws.
 *
 * Every admission parses its request's selector three times (schema, target match,
 * authorization) and a fleet uses a handful of selectors, so results are kept — frozen,
 * since callers share them.
 */
export function parseSelector(input: string): ParseResult {
  if (typeof input !== 'string' || input.length > LIMITS.selectorChars)
    return parseSelectorText(input);
  let result = parsedSelectors.get(input);
  if (result === undefined) {
    result = deepFreeze(parseSelectorText(input));
    if (parsedSelectors.size >= CACHED_SELECTORS) parsedSelectors.clear();
    parsedSelectors.set(input, result);
  }
  return result;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parseSelectorText(input: string): ParseResult {
  if (typeof input !== 'string') return failure(0, 'a selector string', typeof input);
  if (input.length > LIMITS.selectorChars)
    return failure(
      LIMITS.selectorChars,
      `at most ${LIMITS.selectorChars} characters`,
      `${input.length} characters`,
    );
  const tokens = tokenize(input);
  if (!Array.isArray(tokens))
    return failure(tokens.position, 'a label key, value or operator', `'${tokens.found}'`);
  let at = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[at++]!;
  const expect = (what: string, ok: (t: Token) => boolean): Token => {
    const t = peek();
    if (!ok(t))
      throw new ParseFailure({
        position: t.position,
        expected: what,
        found: describe(t),
        message: `found ${describe(t)} at ${t.position}, expected ${what}`,
      });
    return next();
  };
  const key = (): string => {
    const t = expect('a label key', (t) => t.kind === 'word');
    if (!labelKey.safeParse(t.text).success)
      throw new ParseFailure({
        position: t.position,
        expected: 'a label key',
        found: `'${t.text}'`,
        message: `'${t.text}' at ${t.position} is not a valid label key`,
      });
    return t.text;
  };
  const value = (): string => {
    const t = peek();
    if (t.kind !== 'word') return ''; // an empty value is legal: `tier=`
    next();
    if (!labelValue.safeParse(t.text).success)
      throw new ParseFailure({
        position: t.position,
        expected: 'a label value',
        found: `'${t.text}'`,
        message: `'${t.text}' at ${t.position} is not a valid label value`,
      });
    return t.text;
  };
  const valueSet = (): string[] => {
    expect("'('", (t) => t.kind === '(');
    const values = [value()];
    while (peek().kind === ',') {
      next();
      values.push(value());
    }
    expect("',' or ')'", (t) => t.kind === ')');
    return [...new Set(values)];
  };
  const requirement = (): Requirement => {
    if (peek().kind === '!') {
      next();
      return { key: key(), op: 'notexists', values: [] };
    }
    const k = key();
    const t = peek();
    if (t.kind === '=' || t.kind === '==') {
      next();
      return { key: k, op: 'eq', values: [value()] };
    }
    if (t.kind === '!=') {
      next();
      return { key: k, op: 'neq', values: [value()] };
    }
    if (t.kind === 'word' && (t.text === 'in' || t.text === 'notin')) {
      next();
      return { key: k, op: t.text, values: valueSet() };
    }
    if (t.kind === ',' || t.kind === 'end') return { key: k, op: 'exists', values: [] };
    throw new ParseFailure({
      position: t.position,
      expected: "'=', '==', '!=', 'in', 'notin', ',' or end of input",
      found: describe(t),
      message: `found ${describe(t)} at ${t.position}, expected an operator or ','`,
    });
  };
  try {
    const selector = [requirement()];
    while (peek().kind === ',') {
      next();
      selector.push(requirement());
    }
    expect("',' or end of input", (t) => t.kind === 'end');
    return { ok: true, selector };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

function failure(position: number, expected: string, found: string): ParseResult {
  return {
    ok: false,
    error: {
      position,
      expected,
      found,
      message: `found ${found} at ${position}, expected ${expected}`,
    },
  };
}
