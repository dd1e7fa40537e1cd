import { LIMITS } from './limits.js';

/**
 * Versions become one argument of a command, never shell text. Letters, digits and
 * `._/@:+~^-` only; no leading `-` (`git fetch --upload-pack=…` runs a command even
 * without a shell), no `..`, no whitespace, control, non-ASCII or shell metacharacters.
 */
const VERSION = /^[A-Za-z0-9_][A-Za-z0-9._/@:+~^-]*$/;

export type VersionVerdict = { ok: true } | { ok: false; reason: string };

export function checkVersion(version: unknown): VersionVerdict {
  if (typeof version !== 'string' || version.length === 0)
    return { ok: false, reason: 'a version is a non-empty string' };
  if (version.length > LIMITS.versionChars)
    return {
      ok: false,
      reason: `a version has at most ${LIMITS.versionChars} characters, got ${version.length}`,
    };
  if (version.startsWith('-')) return { ok: false, reason: 'a version must not start with -' };
  if (version.includes('..')) return { ok: false, reason: 'a version must not contain ..' };
  if (version.includes('@{')) return { ok: false, reason: 'a version must not contain @{' };
  if (!VERSION.test(version)) {
    const bad = [...version].find((c) => !/[A-Za-z0-9._/@:+~^-]/.test(c)) ?? version[0]!;
    const shown = /^[\x21-\x7e]$/.test(bad)
      ? `'${bad}'`
      : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      ok: false,
      reason: `a version may only hold letters, digits and . _ / @ : + ~ ^ -; found ${shown}`,
    };
  }
  return { ok: true };
}
