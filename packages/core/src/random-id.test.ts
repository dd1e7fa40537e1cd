import { describe, expect, it } from 'vitest';
import { ID_BYTES, randomId } from './random-id.js';

/** a random source that hands out these byte strings in turn */
const drawing = (...draws: number[][]) => {
  let i = 0;
  return (n: number) => {
    const first = draws[i++] ?? [0x41];
    return Uint8Array.from({ length: n }, (_, k) => first[k] ?? 0x41);
  };
};
const crypto = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));

describe('random ids', () => {
  it('never begin with a dash or an underscore: such a draw is drawn again', () => {
    // 0xf8 = 111110.. is '-' as a first base64url character, 0xfc = 111111.. is '_'
    const source = drawing([0xf8], [0xfc], [0x00]);
    const id = randomId(source);
    expect(id).toMatch(/^A/);
    expect(id).toHaveLength(22);
  });

  it('are 16 random bytes in base64url, and 10,000 draws begin with a letter or digit', () => {
    const ids = Array.from({ length: 10_000 }, () => randomId(crypto));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ID_BYTES).toBe(16);
  });

  it('refuses a random source that only ever draws a leading dash', () => {
    expect(() => randomId(() => new Uint8Array(16).fill(0xf8))).toThrow(/random source/);
  });
});
