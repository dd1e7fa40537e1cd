import { describe, expect, it } from 'vitest';
import {
  cursorOf,
  daysOf,
  deploymentListQuerySchema,
  deploymentStatsQuerySchema,
  nextCursor,
  parseCursor,
  statsRange,
} from './deploy-history.js';

describe('history paging and ranges', () => {
  it('a cursor names the last row and reads back', () => {
    const row = { submittedAt: 1_796_000_000_123, requestId: 'abc_DEF-123' };
    expect(parseCursor(cursorOf(row))).toEqual(row);
    expect(deploymentListQuerySchema.safeParse({ cursor: cursorOf(row) }).success).toBe(true);
    expect(nextCursor([row], 1)).toBe(cursorOf(row));
    // a page shorter than the limit was the last
    expect(nextCursor([row], 2)).toBeUndefined();
    expect(nextCursor([], 2)).toBeUndefined();
  });

  it('refuses cursors that are not what a page ended with', () => {
    for (const cursor of [
      '',
      '12',
      '12.',
      '.abcdefgh',
      '12.abc',
      "1.abcdefgh' or 1=1",
      '-1.abcdefgh',
    ])
      expect(deploymentListQuerySchema.safeParse({ cursor }).success, cursor).toBe(false);
  });

  it('older clients’ queries still parse, unknown fields do not', () => {
    expect(deploymentListQuerySchema.parse({ limit: 100, app: 'web', before: 5 })).toEqual({
      limit: 100,
      app: 'web',
      before: 5,
    });
    expect(deploymentListQuerySchema.safeParse({ limit: 100, colour: 'red' }).success).toBe(false);
    expect(deploymentStatsQuerySchema.safeParse({ days: 367 }).success).toBe(false);
  });

  it('a stats range is whole UTC days ending with the day `to` is in', () => {
    const to = Date.UTC(2026, 11, 7, 23, 59);
    const range = statsRange({ days: 3, to }, 0);
    expect(new Date(range.from).toISOString()).toBe('2026-12-05T00:00:00.000Z');
    expect(new Date(range.to).toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(daysOf(range)).toEqual(['2026-12-05', '2026-12-06', '2026-12-07']);
    // 30 days by default, up to now
    expect(daysOf(statsRange({}, to))).toHaveLength(30);
  });
});
