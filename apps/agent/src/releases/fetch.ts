import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactRef } from '@serfbort/core';

export type FetchOutcome =
  | { ok: true; file: string }
  | { ok: false; code: 'ARTIFACT_UNAVAILABLE'; detail: string }
  | { ok: false; code: 'ARTIFACT_MISMATCH'; detail: string; fetched?: string };

export interface FetchOptions {
  /** an http(s) URL or an absolute path, `{version}` already replaced */
  source: string;
  artifact: ArtifactRef;
  maxBytes: number;
  timeoutMs: number;
  /** the download goes to a fresh file here */
  incoming: string;
  signal: AbortSignal;
}

/** Where the bytes come from: the config's template wins over the request's (informative) url. */
export function sourceOf(
  template: string | undefined,
  artifact: ArtifactRef,
  version: string,
): string | undefined {
  if (template !== undefined)
    return template.startsWith('/')
      ? template.replaceAll('{version}', version)
      : template.replaceAll('{version}', encodeURIComponent(version));
  // from the request, only a URL: a path is the host's business, named in its own config
  return artifact.url !== undefined && /^https?:\/\//.test(artifact.url) ? artifact.url : undefined;
}

class TooLarge extends Error {}

/**
 * Fetches at most the signed size plus one byte, hashing while it streams, within the time
 * limit; the file is kept only if its digest is the signed one. Nothing is unpacked here.
 */
export async function fetchArtifact(o: FetchOptions): Promise<FetchOutcome> {
  const { artifact } = o;
  if (artifact.size > o.maxBytes)
    return {
      ok: false,
      code: 'ARTIFACT_UNAVAILABLE',
      detail: `the signed size ${artifact.size} is over this host's limit of ${o.maxBytes} bytes`,
    };
  mkdirSync(o.incoming, { recursive: true, mode: 0o700 });
  const file = join(o.incoming, `${randomBytes(8).toString('hex')}.artifact`);
  const hash = createHash('sha256');
  let seen = 0;
  const limit = artifact.size;
  const counter = async function* (source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      seen += chunk.length;
      // one byte past the signed size is enough to know they are not the signed bytes
      if (seen > limit) throw new TooLarge();
      hash.update(chunk);
      yield chunk;
    }
  };
  // a timer of our own, held until the fetch ends: Node 20's AbortSignal.timeout() inside
  // AbortSignal.any() can be garbage-collected before it fires, and then a stalled server
  // held the deploy forever (a CI run waited 60 s on a 500 ms limit)
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), o.timeoutMs);
  const signal = AbortSignal.any([o.signal, deadline.signal]);
  try {
    const body = await open(o.source, limit, signal);
    await pipeline(body, counter, createWriteStream(file, { mode: 0o600 }), { signal });
  } catch (e) {
    rmSync(file, { force: true });
    if (e instanceof TooLarge)
      return {
        ok: false,
        code: 'ARTIFACT_MISMATCH',
        detail: `more than the signed ${limit} bytes at ${o.source}: not the signed artifact`,
      };
    const why =
      signal.aborted && !o.signal.aborted
        ? `no complete answer within ${o.timeoutMs} ms`
        : (e as Error).message;
    return { ok: false, code: 'ARTIFACT_UNAVAILABLE', detail: `cannot fetch ${o.source}: ${why}` };
  } finally {
    clearTimeout(timer);
  }
  const fetched = hash.digest('hex');
  if (fetched !== artifact.sha256 || seen !== limit) {
    rmSync(file, { force: true });
    return {
      ok: false,
      code: 'ARTIFACT_MISMATCH',
      detail: `fetched ${seen} bytes with sha256 ${fetched}; signed: ${limit} bytes with sha256 ${artifact.sha256}`,
      fetched,
    };
  }
  return { ok: true, file };
}

async function open(source: string, limit: number, signal: AbortSignal): Promise<Readable> {
  if (source.startsWith('/')) return createReadStream(source, { start: 0, end: limit, signal });
  const res = await fetch(source, { signal, redirect: 'follow' });
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`HTTP ${res.status}`);
  }
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
}
