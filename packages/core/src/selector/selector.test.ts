import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labels } from '../schemas/primitives.js';
import type { Requirement } from './ast.js';
import { explainMatch, matchesSelector, selectorWithin, targetMatches } from './match.js';
import { parseSelector } from './parse.js';
import { printSelector } from './print.js';

const parse = (s: string) => {
  const r = parseSelector(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.selector;
};

describe('parseSelector', () => {
  it('hands out one frozen result per selector text, so a caller cannot change what the next one reads', () => {
    const first = parseSelector('role=web,dc in (a,b)');
    expect(parseSelector('role=web,dc in (a,b)')).toBe(first);
    if (!first.ok) throw new Error('should parse');
    expect(Object.isFrozen(first.selector)).toBe(true);
    expect(() => {
      (first.selector as unknown as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(parseSelector('role=web,dc in (a,b)')).toEqual(first);
  });

  it.each([
    ['role=web', [{ key: 'role', op: 'eq', values: ['web'] }]],
    ['role==web', [{ key: 'role', op: 'eq', values: ['web'] }]],
    ['role!=db', [{ key: 'role', op: 'neq', values: ['db'] }]],
    ['env in (prod, stage)', [{ key: 'env', op: 'in', values: ['prod', 'stage'] }]],
    ['env notin (dev)', [{ key: 'env', op: 'notin', values: ['dev'] }]],
    ['canary', [{ key: 'canary', op: 'exists', values: [] }]],
    ['!canary', [{ key: 'canary', op: 'notexists', values: [] }]],
    [
      'role=web,!canary',
      [
        { key: 'role', op: 'eq', values: ['web'] },
        { key: 'canary', op: 'notexists', values: [] },
      ],
    ],
    ['example.com/tier = front', [{ key: 'example.com/tier', op: 'eq', values: ['front'] }]],
  ])('parses %s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['', 0, 'a label key'],
    ['role=web,', 9, 'a label key'],
    ['role in web', 8, "'('"],
    ['env in (a,b', 11, "',' or ')'"],
    ['role=web)', 8, "',' or end of input"],
    ['role web', 5, "'=', '==', '!=', 'in', 'notin', ',' or end of input"],
    ['role=$x', 5, 'a label key, value or operator'],
    ['!', 1, 'a label key'],
  ])('reports %j at position %i, expecting %s', (text, position, expected) => {
    const r = parseSelector(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.position).toBe(position);
      expect(r.error.expected).toBe(expected);
      expect(r.error.message).toContain(`at ${position}`);
    }
  });

  it.each(['a..b/k', '1..2/k', 'a-.b/k', 'a.-b/k', '-a/k', 'a./k', '.a/k', 'A.b/k'])(
    'refuses the label key prefix %s, which is not a DNS subdomain',
    (prefixed) => {
      expect(parseSelector(`${prefixed}=v`).ok).toBe(false);
      expect(parseSelector(prefixed).ok).toBe(false);
      expect(labels.safeParse({ [prefixed]: 'v' }).success).toBe(false);
    },
  );

  it.each(['a/k', 'k8s.io/arch', 'a-b.c-d/k', '1.2/k', `${'a'.repeat(63)}.b/k`])(
    'accepts the DNS-subdomain prefix %s',
    (prefixed) => {
      expect(parseSelector(`${prefixed}=v`).ok).toBe(true);
      expect(labels.safeParse({ [prefixed]: 'v' }).success).toBe(true);
    },
  );

  it('refuses a prefix part longer than 63 characters or a prefix longer than 253', () => {
    expect(labels.safeParse({ [`${'a'.repeat(64)}/k`]: 'v' }).success).toBe(false);
    const long = Array.from({ length: 64 }, () => 'abc').join('.'); // 255 characters
    expect(labels.safeParse({ [`${long}/k`]: 'v' }).success).toBe(false);
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => typeof parseSelector(s).ok === 'boolean'),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z=!,() in]{0,40}$/),
        (s) => typeof parseSelector(s).ok === 'boolean',
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips print → parse', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    const requirement: fc.Arbitrary<Requirement> = fc.oneof(
      fc.record({
        key: word,
        op: fc.constantFrom('eq' as const, 'neq' as const),
        values: fc.tuple(word),
      }),
      fc.record({
        key: word,
        op: fc.constantFrom('in' as const, 'notin' as const),
        values: fc.uniqueArray(word, { minLength: 1, maxLength: 4 }),
      }),
      fc.record({
        key: word,
        op: fc.constantFrom('exists' as const, 'notexists' as const),
        values: fc.constant<string[]>([]),
      }),
    );
    fc.assert(
      fc.property(fc.array(requirement, { minLength: 1, maxLength: 5 }), (sel) => {
        const again = parseSelector(printSelector(sel));
        return again.ok && JSON.stringify(again.selector) === JSON.stringify(sel);
      }),
    );
  });
});

describe('matching', () => {
  const web = { role: 'web', dc: 'ams' };
  const canary = { role: 'web', canary: '' };
  it('follows Kubernetes semantics', () => {
    expect(matchesSelector(parse('role=web'), web)).toBe(true);
    expect(matchesSelector(parse('role=web,!canary'), canary)).toBe(false);
    expect(matchesSelector(parse('role!=db'), {})).toBe(true);
    expect(matchesSelector(parse('dc in (ams,fra)'), web)).toBe(true);
    expect(matchesSelector(parse('dc notin (ams)'), web)).toBe(false);
    expect(matchesSelector(parse('dc notin (ams)'), canary)).toBe(true);
    expect(matchesSelector(parse('canary'), canary)).toBe(true);
  });

  it('matches explicit host lists by name only', () => {
    expect(targetMatches({ hosts: ['weba'] }, { name: 'weba', labels: {} })).toBe(true);
    expect(targetMatches({ hosts: ['weba'] }, { name: 'webb', labels: { role: 'web' } })).toBe(
      false,
    );
    expect(targetMatches({ selector: 'role=(' }, { name: 'x', labels: { role: 'web' } })).toBe(
      false,
    );
  });

  it('explains each requirement', () => {
    const why = explainMatch(parse('role=web,!canary'), canary);
    expect(why.map((w) => w.matched)).toEqual([true, false]);
    expect(why[1]!.why).toContain('needs no label canary');
  });

  it('knows when a selector is inside an allowed scope', () => {
    expect(selectorWithin(parse('role=web,dc=ams'), parse('role=web'))).toBe(true);
    expect(selectorWithin(parse('dc=ams'), parse('role=web'))).toBe(false);
  });
});
