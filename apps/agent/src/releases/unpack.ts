import { mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import type { ReadEntry } from 'tar';
import { extract, list } from 'tar';

export type UnpackOutcome = { ok: true } | { ok: false; code: 'ARTIFACT_UNSAFE'; detail: string };

/** What a release tree may hold: files, directories and links that stay inside it. */
const ALLOWED = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** Bounds against an archive that is small packed and huge unpacked. */
export interface UnpackLimits {
  maxEntries: number;
  maxUnpackedBytes: number;
}

/** The entry's path as a clean relative path, or why it is not one. */
function insidePath(raw: string): string | { refused: string } {
  const path = raw.replaceAll('\\', '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { refused: 'an absolute path' };
  if (path.split('/').includes('..')) return { refused: 'a .. component' };
  const clean = posix.normalize(path).replace(/\/+$/, '');
  return clean === '' ? '.' : clean;
}

/**
 * Judges every entry before anything is written: absolute paths, `..`, links that
 * resolve outside the tree, entries under a link (writing through it), and device files or
 * fifos all refuse the whole archive.
 */
export async function checkArchive(file: string, limits: UnpackLimits): Promise<UnpackOutcome> {
  let refusal: string | undefined;
  const links = new Set<string>();
  let entries = 0;
  let bytes = 0;
  const judge = (e: ReadEntry): string | undefined => {
    entries++;
    bytes += e.size;
    if (entries > limits.maxEntries) return `more than ${limits.maxEntries} entries`;
    if (bytes > limits.maxUnpackedBytes)
      return `more than ${limits.maxUnpackedBytes} bytes unpacked`;
    if (!ALLOWED.has(e.type)) return `${e.path}: a ${e.type} entry`;
    const path = insidePath(e.path);
    if (typeof path !== 'string') return `${e.path}: ${path.refused}`;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++)
      if (links.has(parts.slice(0, i).join('/')))
        return `${e.path}: lies under the link ${parts.slice(0, i).join('/')}`;
    if (e.type === 'SymbolicLink' || e.type === 'Link') {
      const target = e.linkpath ?? '';
      if (target === '' || target.startsWith('/')) return `${e.path}: links to ${target || '""'}`;
      // a symlink's target is relative to its own directory, a hard link's to the tree's root
      const base = e.type === 'SymbolicLink' ? posix.dirname(path) : '.';
      const resolved = posix.normalize(posix.join(base, target));
      if (resolved === '..' || resolved.startsWith('../'))
        return `${e.path}: links to ${target}, outside the release`;
      links.add(path);
    }
    return undefined;
  };
  try {
    await list({
      file,
      strict: true,
      onReadEntry: (e) => {
        refusal ??= judge(e);
        e.resume();
      },
    });
  } catch (e) {
    return {
      ok: false,
      code: 'ARTIFACT_UNSAFE',
      detail: `not a readable tar archive: ${(e as Error).message}`,
    };
  }
  if (entries === 0) return { ok: false, code: 'ARTIFACT_UNSAFE', detail: 'an empty archive' };
  return refusal === undefined
    ? { ok: true }
    : { ok: false, code: 'ARTIFACT_UNSAFE', detail: `refused: ${refusal}` };
}

/** Unpacks a checked archive into `into` (created); owners and setuid bits are not kept. */
export async function unpackArchive(file: string, into: string): Promise<void> {
  mkdirSync(into, { recursive: true, mode: 0o755 });
  await extract({
    file,
    cwd: into,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    noMtime: false,
    // no setuid/setgid/sticky bits from a tarball
    dmode: 0o755 & 0o777,
    umask: 0o022,
  });
}
