import { describe, expect, it } from 'vitest';
import { checkVersion } from './version.js';

describe('checkVersion', () => {
  it.each([
    'v1.2.3',
    '1f3c9a0b',
    'release/2026-11',
    'v1.0.0+build.5',
    'HEAD~1',
    'app@2.0',
    'v2_rc1',
  ])('accepts %s', (v) => {
    expect(checkVersion(v)).toEqual({ ok: true });
  });
  it.each([
    ['', 'non-empty'],
    ['-x', 'start with -'],
    ['--upload-pack=touch /tmp/pwned', 'start with -'],
    ['../etc', '..'],
    ['v1 2', 'U+0020'],
    ['v1;rm -rf /', "';'"],
    ['$(id)', "'$'"],
    ['`id`', "'`'"],
    ['v1|x', "'|'"],
    ['v1\n', 'U+000A'],
    ['v1\u0000', 'U+0000'],
    ['vé', 'U+00E9'],
    ['master@{1}', '@{'],
    ['x'.repeat(129), 'at most 128'],
  ])('refuses %j', (v, why) => {
    const r = checkVersion(v);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(why);
  });
  it('refuses non-strings', () => {
    expect(checkVersion(42).ok).toBe(false);
  });
});
