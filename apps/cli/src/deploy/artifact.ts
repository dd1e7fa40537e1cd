import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ArtifactRef } from '@serfbort/core';
import { usageError } from '../errors.js';

/**
 * `--artifact FILE [--artifact-url URL]`: the file's SHA-256 and size, computed here, go
 * inside the signature; hosts fetch the bytes themselves and refuse any others.
 */
export async function artifactFromFile(
  file: string,
  url?: string,
  what = '--artifact',
): Promise<ArtifactRef> {
  const path = resolve(file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw usageError('FILE_NOT_FOUND', `${what}: no file ${file}`);
  if (!stat.isFile()) throw usageError('FILE_INVALID', `${what}: ${file} is not a regular file`);
  // a path on the host is the host's own business, named in its config (release.url)
  if (url !== undefined && !/^https?:\/\/\S+$/.test(url))
    throw usageError('BAD_OPTION', '--artifact-url: must be an http(s):// URL');
  if (url !== undefined && url.length > 2048)
    throw usageError('BAD_OPTION', '--artifact-url: at most 2048 characters');
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (e) {
    throw usageError(
      'FILE_INVALID',
      `${what}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const name = basename(path).slice(0, 256);
  return { sha256: hash.digest('hex'), size, ...(url ? { url } : {}), name };
}
