import type { AuditRow } from '@serfbort/core';
import { GENESIS_HASH, rowHash } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { HeadExtension, unservedAudit, verifyHeadExtension } from './head-extension.js';

function chainOf(bodies: string[]): AuditRow[] {
  const rows: AuditRow[] = [];
  for (const [i, body] of bodies.entries()) {
    const partial = {
      seq: i + 1,
      at: 1000 + i,
      kind: 'deploy',
      body,
      prevHash: rows.at(-1)?.hash ?? GENESIS_HASH,
    };
    rows.push({ ...partial, hash: rowHash(partial) });
  }
  return rows;
}
const headOf = (rows: AuditRow[]) => ({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });

/** Walks as the CLI and the dashboard do: pages of `page` rows after `after` until done. */
const walk = (rows: AuditRow[], remembered: { seq: number; hash: string }, page = 2) =>
  verifyHeadExtension(
    remembered,
    headOf(rows),
    async (after) => rows.filter((r) => r.seq > after).slice(0, page),
    page,
  );

describe('HeadExtension', () => {
  const old = chainOf(['a', 'b', 'c']);
  const grown = chainOf(['a', 'b', 'c', 'd', 'e']);

  it('accepts a chain that grew from the remembered head', async () => {
    expect(await walk(grown, headOf(old))).toEqual({ ok: true, head: headOf(grown) });
  });

  it('accepts an unmoved head without asking for rows', () => {
    const ext = new HeadExtension(headOf(old), headOf(old));
    expect(ext.done).toBe(true);
    expect(ext.verdict()).toMatchObject({ ok: true });
  });

  it('accepts any chain after an empty one, when it links from genesis', async () => {
    expect(await walk(grown, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true });
  });

  it('refuses a rebuilt history with both heads', async () => {
    const rebuilt = chainOf(['a', 'B', 'c', 'd', 'e']);
    const v = await walk(rebuilt, headOf(old));
    expect(v).toMatchObject({
      ok: false,
      code: 'AUDIT_FORKED',
      remembered: headOf(old),
      current: headOf(rebuilt),
    });
    if (!v.ok) expect(v.detail).toContain('row 3 is not the one seen before');
  });

  it('refuses a shorter chain, and another row at the same number', async () => {
    expect(await walk(chainOf(['a', 'b']), headOf(old))).toMatchObject({ code: 'AUDIT_FORKED' });
    expect(await walk(chainOf(['a', 'b', 'X']), headOf(old))).toMatchObject({
      code: 'AUDIT_FORKED',
    });
  });

  it('refuses rows that stop before the named head', () => {
    const ext = new HeadExtension(headOf(old), headOf(grown));
    ext.push(grown[2]!);
    ext.push(grown[3]!);
    expect(ext.verdict()).toMatchObject({ ok: false, code: 'AUDIT_FORKED' });
  });

  it('refuses a row edited after the remembered head', async () => {
    const edited = grown.map((r) => (r.seq === 4 ? { ...r, body: 'x' } : r));
    expect(await walk(edited, headOf(old))).toMatchObject({ ok: false });
  });
});

describe('an audit history the hub does not serve', () => {
  const head = { seq: 7, hash: 'a'.repeat(64) };
  const unknown = { code: 'BAD_REQUEST', message: 'unknown event' };
  it('is unchecked, and said so, from a hub that never served this client a head', () => {
    expect(unservedAudit(undefined, unknown)).toEqual({
      verdict: 'unchecked',
      detail:
        'the hub does not serve its audit history (BAD_REQUEST: unknown event): it is not checked',
    });
  });
  it('is withheld, and refused, from a hub that served this client one before', () => {
    const v = unservedAudit(head, unknown);
    expect(v).toMatchObject({ verdict: 'withheld', code: 'AUDIT_WITHHELD' });
    expect(v.detail).toContain('up to row 7');
  });
  it('is a failure with the hub’s own code when it could not serve it (a database outage)', () => {
    for (const remembered of [head, undefined])
      expect(unservedAudit(remembered, { code: 'STORAGE_UNAVAILABLE', message: 'retry' })).toEqual({
        verdict: 'failed',
        detail: 'the hub could not serve its audit history (STORAGE_UNAVAILABLE: retry)',
      });
  });
});
