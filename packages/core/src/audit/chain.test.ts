import { describe, expect, it } from 'vitest';
import type { AuditRow } from './chain.js';
import { ChainWalker, GENESIS_HASH, rowHash } from './chain.js';

// pinned: computed outside this code (node:crypto over the same text); existing audit
// logs verify only while these bytes stay the same
const FIRST = '68fdd20cc7fb200de26a9ae24a84724c2d0469f3542cfeaba7405639a05664b2';
const SECOND = '6d809ad4dd1a89330f6b8bb4e51d756f187ed5fcd5444b2b0eb136d1323745ad';

const first: AuditRow = {
  seq: 1,
  at: 1_800_000_000_000,
  kind: 'deploy',
  body: '{"app":"shop","version":"v1.2.3"}',
  prevHash: GENESIS_HASH,
  hash: FIRST,
};
const second: AuditRow = {
  seq: 2,
  at: 1_800_000_000_001,
  kind: 'trust',
  body: '{"kind":"root","note":"é"}',
  prevHash: FIRST,
  hash: SECOND,
};

const walk = (rows: AuditRow[]) => {
  const walker = new ChainWalker();
  for (const row of rows) walker.push(row);
  return walker.verdict();
};

describe('the audit hash chain', () => {
  it('hashes a row to pinned bytes', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(rowHash(first)).toBe(FIRST);
    expect(rowHash(second)).toBe(SECOND);
  });

  it('verifies an intact chain and names its head', () => {
    expect(walk([first, second])).toEqual({ ok: true, rows: 2, headHash: SECOND });
    expect(walk([])).toEqual({ ok: true, rows: 0 });
  });

  describe('when a row is edited, removed or reordered', () => {
    it('names the first row that does not verify', () => {
      expect(walk([{ ...first, body: '{"app":"shop","version":"v6"}' }, second])).toEqual({
        ok: false,
        rows: 2,
        firstBroken: 1,
      });
      expect(walk([second])).toEqual({ ok: false, rows: 1, firstBroken: 2 });
      expect(walk([second, first])).toEqual({ ok: false, rows: 2, firstBroken: 2 });
    });
  });
});
