import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactRef, RunCode } from '@serfbort/core';
import type { ReleaseConfig } from '../config/load.js';
import { fetchArtifact, sourceOf } from './fetch.js';
import { hookFailure, runHook } from './hooks.js';
import type { ReleaseLayout, ReleaseMeta } from './layout.js';
import { layoutOf, metaPath, readMeta, releaseName } from './layout.js';
import { currentTarget, restoreCurrent, switchCurrent } from './switch.js';
import { checkArchive, unpackArchive } from './unpack.js';

export interface ReleaseJob {
  release: ReleaseConfig;
  version: string;
  artifact: ArtifactRef;
  env: Record<string, string>;
  signal: AbortSignal;
  onLine(stream: 'stdout' | 'stderr', text: string): void;
  onSpawn?(pgid: number, program: string): void;
}

export type ReleaseOutcome =
  | {
      ok: true;
      layout: ReleaseLayout;
      name: string;
      /** where `current` pointed before, to switch back when the health gate fails */
      previous: string | null;
      /** false when the release was on disk already (a rollback): nothing was fetched */
      fetched: boolean;
    }
  | {
      ok: false;
      status: 'failed' | 'timed-out' | 'interrupted';
      reason: RunCode;
      detail: string;
      /** the digest of what was fetched, when it was not the signed one */
      fetched?: string;
    };

type ReleaseFailure = Extract<ReleaseOutcome, { ok: false }>;

const fail = (reason: RunCode, detail: string, fetched?: string): ReleaseFailure => ({
  ok: false,
  status: 'failed',
  reason,
  detail,
  ...(fetched ? { fetched } : {}),
});

/**
 * Fetch (unless the same digest is on disk), verify, check every entry, unpack, run the
 * before hook in the new tree, switch `current`, run the after hook. Nothing is unpacked
 * before the digest matched, and nothing is switched before the before hook passed.
 */
export async function deployRelease(job: ReleaseJob): Promise<ReleaseOutcome> {
  const { release, artifact } = job;
  const layout = layoutOf(release.dir);
  mkdirSync(layout.releases, { recursive: true });
  // one deploy per app at a time: anything in .incoming was left by one that was killed
  rmSync(layout.incoming, { recursive: true, force: true });
  const name = releaseName(job.version, artifact.sha256);
  const tree = join(layout.releases, name);
  let meta = readMeta(layout, name);
  const onDisk = meta?.sha256 === artifact.sha256 && existsSync(tree);
  if (!onDisk) {
    const unpacked = await fetchAndUnpack(job, layout, name);
    if (!unpacked.ok) return unpacked;
    meta = unpacked.meta;
  } else job.onLine('stdout', `release ${name} is on disk: switching without fetching`);
  const hook = (which: 'before' | 'after', argv: readonly string[], cwd: string) =>
    runHook({
      which,
      argv,
      cwd,
      env: { ...job.env, SERFBORT_RELEASE_DIR: cwd, SERFBORT_ARTIFACT_SHA256: artifact.sha256 },
      timeoutMs: release.hookTimeoutMs,
      signal: job.signal,
      onLine: job.onLine,
      ...(job.onSpawn ? { onSpawn: job.onSpawn } : {}),
    });
  if (release.before && !meta!.prepared) {
    const r = await hook('before', release.before, tree);
    if (r.aborted)
      return {
        ok: false,
        status: 'interrupted',
        reason: 'AGENT_SHUTDOWN',
        detail: 'before hook interrupted',
      };
    const why = hookFailure(
      { which: 'before', argv: release.before, timeoutMs: release.hookTimeoutMs },
      r,
    );
    if (why)
      return {
        ok: false,
        status: r.timedOut ? 'timed-out' : 'failed',
        reason: 'HOOK_FAILED',
        detail: [why, ...r.tail].join('\n'),
      };
    writeMeta(layout, name, { ...meta!, prepared: true });
  }
  const previous = currentTarget(layout);
  switchCurrent(layout, name);
  job.onLine('stdout', `current -> releases/${name}`);
  if (release.after) {
    const r = await hook('after', release.after, tree);
    const why = r.aborted
      ? 'after hook interrupted'
      : hookFailure({ which: 'after', argv: release.after, timeoutMs: release.hookTimeoutMs }, r);
    if (why) {
      restoreCurrent(layout, previous);
      job.onLine('stderr', `switched back: current -> ${previous ?? '(none)'}`);
      if (r.aborted)
        return { ok: false, status: 'interrupted', reason: 'AGENT_SHUTDOWN', detail: why };
      return {
        ok: false,
        status: r.timedOut ? 'timed-out' : 'failed',
        reason: 'HOOK_FAILED',
        detail: [why, ...r.tail].join('\n'),
      };
    }
  }
  return { ok: true, layout, name, previous, fetched: !onDisk };
}

async function fetchAndUnpack(
  job: ReleaseJob,
  layout: ReleaseLayout,
  name: string,
): Promise<{ ok: true; meta: ReleaseMeta } | ReleaseFailure> {
  const { release, artifact } = job;
  const source = sourceOf(release.url, artifact, job.version);
  if (source === undefined)
    return fail(
      'ARTIFACT_UNAVAILABLE',
      'no url: the app has no release url and the request names no http(s) url',
    );
  job.onLine('stdout', `fetching ${source} (${artifact.size} bytes signed)`);
  const got = await fetchArtifact({
    source,
    artifact,
    maxBytes: release.maxBytes,
    timeoutMs: release.fetchTimeoutMs,
    incoming: layout.incoming,
    signal: job.signal,
  });
  if (!got.ok) {
    if (job.signal.aborted)
      return {
        ok: false,
        status: 'interrupted',
        reason: 'AGENT_SHUTDOWN',
        detail: 'fetch interrupted',
      };
    return fail(got.code, got.detail, got.code === 'ARTIFACT_MISMATCH' ? got.fetched : undefined);
  }
  const staging = join(layout.incoming, `${name}-${randomBytes(6).toString('hex')}`);
  try {
    const checked = await checkArchive(got.file, {
      maxEntries: 200_000,
      // the archive may be compressed: its unpacked size is bounded too
      maxUnpackedBytes: release.maxBytes * 10,
    });
    if (!checked.ok) return fail(checked.code, checked.detail);
    await unpackArchive(got.file, staging);
    const tree = join(layout.releases, name);
    // a tree of that name without a matching record is a leftover: replaced, never trusted
    rmSync(tree, { recursive: true, force: true });
    renameSync(staging, tree);
    const meta: ReleaseMeta = {
      version: job.version,
      sha256: artifact.sha256,
      size: artifact.size,
      unpackedAt: Date.now(),
      prepared: false,
    };
    writeMeta(layout, name, meta);
    job.onLine('stdout', `unpacked into releases/${name}`);
    return { ok: true, meta };
  } catch (e) {
    return fail('ARTIFACT_UNSAFE', `cannot unpack: ${(e as Error).message}`);
  } finally {
    rmSync(got.file, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

function writeMeta(layout: ReleaseLayout, name: string, meta: ReleaseMeta): void {
  const path = metaPath(layout, name);
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(meta)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

/** The health gate failed: back to the release before, whose after hook runs again. */
export async function switchBack(
  job: ReleaseJob,
  layout: ReleaseLayout,
  previous: string | null,
): Promise<string> {
  restoreCurrent(layout, previous);
  if (previous === null) return 'current removed (there was no release before)';
  const back = join(layout.dir, previous);
  if (!job.release.after) return `switched back: current -> ${previous}`;
  const r = await runHook({
    which: 'after',
    argv: job.release.after,
    cwd: back,
    env: { ...job.env, SERFBORT_RELEASE_DIR: back },
    timeoutMs: job.release.hookTimeoutMs,
    signal: job.signal,
    onLine: job.onLine,
  });
  const why = hookFailure(
    { which: 'after', argv: job.release.after, timeoutMs: job.release.hookTimeoutMs },
    r,
  );
  return `switched back: current -> ${previous}${why ? `; ${why}` : ''}`;
}
