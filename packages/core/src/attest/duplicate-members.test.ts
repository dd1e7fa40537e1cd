import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDuplicateMember } from './duplicate-members.js';

const key = fc.string({ maxLength: 6 });

describe('firstDuplicateMember over any JSON', () => {
  it('finds nothing in what JSON.stringify writes (it never repeats a member)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        expect(firstDuplicateMember(JSON.stringify(value))).toBeUndefined();
        expect(firstDuplicateMember(JSON.stringify(value, null, 2))).toBeUndefined();
      }),
    );
  });

  it('finds a member repeated inside any object, at any depth, however it is escaped', () => {
    fc.assert(
      fc.property(
        key,
        fc.dictionary(key, fc.jsonValue({ maxDepth: 3 })),
        fc.jsonValue({ maxDepth: 3 }),
        fc.array(fc.constantFrom('[', '{"x":'), { maxLength: 4 }),
        (name, others, value, wrappers) => {
          const { [name]: _, ...rest } = others;
          const members = Object.entries(rest).map(
            ([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`,
          );
          // the second spelling escapes every character, so only an unescaping reader sees the clash
          const escaped = `"${[...name].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
          let text = `{${[`${JSON.stringify(name)}:1`, ...members, `${escaped}:${JSON.stringify(value)}`].join(',')}}`;
          for (const w of wrappers) text = `${w}${text}${w === '[' ? ']' : '}'}`;
          JSON.parse(text); // valid JSON: the detector's precondition
          expect(firstDuplicateMember(text)).toBe(name);
        },
      ),
    );
  });
});
