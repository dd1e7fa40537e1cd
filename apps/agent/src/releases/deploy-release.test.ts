import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ArtifactServer, TarEntry } from '@serfbort/testkit';
import { makeTarball, refOf, startArtifactServer } from '@serfbort/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseConfig } from '../config/load.js';
import type { ReleaseJob } from './deploy-release.js';
import { deployRelease } from './deploy-release.js';
import { layoutOf, readCurrent, releaseName } from './layout.js';
import { pruneReleases } from './prune.js';

let server: ArtifactServer;
let root: string;
let dir: string;
const lines: string[] = [];

beforeAll(async () => {
  server = await startArtifactServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'serfbort-releases-'));
  dir = join(root, 'srv', 'web');
  lines.length = 0;
  server.log.length = 0;
});
afterEach(() => {
  // a failed stall test must not stall every test after it
  server.stalls.clear();
  rmSync(root, { recursive: true, force: true });
});

const config = (patch: Partial<ReleaseConfig> = {}): ReleaseConfig => ({
  url: `${server.url}/web/{version}.tar.gz`,
  dir,
  keep: 5,
  hookTimeoutMs: 5000,
  fetchTimeoutMs: 5000,
  maxBytes: 1024 * 1024,
  ...patch,
});

const app = (version: string): Buffer =>
  makeTarball([
    { name: 'bin/', type: 'dir' },
    { name: 'bin/start', body: `#!/bin/sh\necho ${version}\n`, mode: 0o755 },
    { name: 'VERSION', body: `${version}\n` },
    { name: 'latest', type: 'symlink', linkname: 'bin/start' },
  ]);

function publish(version: string, bytes: Buffer): Buffer {
  server.files.set(`/web/${version}.tar.gz`, bytes);
  return bytes;
}

function job(version: string, bytes: Buffer, patch: Partial<ReleaseConfig> = {}): ReleaseJob {
  return {
    release: config(patch),
    version,
    artifact: refOf(bytes),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    signal: new AbortController().signal,
    onLine: (_s, text) => lines.push(text),
  };
}

const currentLink = () => readlinkSync(join(dir, 'current'));
const releasesOnDisk = () => readdirSync(join(dir, 'releases')).filter((n) => !n.endsWith('.json'));
/** Every path under `root`, so "nothing was written" is checked, not assumed. */
function everything(at = root): string[] {
  return readdirSync(at, { withFileTypes: true, recursive: true }).map((d) =>
    join(d.parentPath, d.name),
  );
}

describe('a good artifact', () => {
  it('is fetched, verified, unpacked into releases/<version>-<digest prefix> and made current', async () => {
    const bytes = publish('v1', app('v1'));
    const out = await deployRelease(job('v1', bytes));
    expect(out).toMatchObject({ ok: true, fetched: true, previous: null });
    const name = releaseName('v1', refOf(bytes).sha256);
    expect(name).toMatch(/^v1-[0-9a-f]{12}$/);
    expect(currentLink()).toBe(`releases/${name}`);
    expect(readFileSync(join(dir, 'current', 'VERSION'), 'utf8')).toBe('v1\n');
    expect(readlinkSync(join(dir, 'current', 'latest'))).toBe('bin/start');
    expect(readCurrent(layoutOf(dir))?.meta).toMatchObject({
      version: 'v1',
      sha256: refOf(bytes).sha256,
    });
    // the download is gone once unpacked
    expect(readdirSync(join(dir, '.incoming'))).toEqual([]);
  });
});

describe('a byte flipped on the server', () => {
  it('is ARTIFACT_MISMATCH with the fetched digest; nothing unpacked, the previous release still current', async () => {
    const v1 = publish('v1', app('v1'));
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    const before = currentLink();
    const signed = app('v2');
    const served = Buffer.from(signed);
    served[served.length - 3]! ^= 0x01;
    publish('v2', served);
    const out = await deployRelease(job('v2', signed));
    expect(out).toMatchObject({
      ok: false,
      status: 'failed',
      reason: 'ARTIFACT_MISMATCH',
      fetched: refOf(served).sha256,
    });
    expect(out.ok === false && out.detail).toContain(refOf(signed).sha256);
    expect(currentLink()).toBe(before);
    expect(releasesOnDisk()).toEqual([before.slice('releases/'.length)]);
    expect(readdirSync(join(dir, '.incoming'))).toEqual([]);
  });
});

describe('an artifact far larger than its signed size', () => {
  it('is refused after the signed size plus one byte, nothing kept', async () => {
    const big = publish('v1', Buffer.alloc(200_000, 7));
    const signed = { ...refOf(big), size: 20_000 };
    const out = await deployRelease({ ...job('v1', big), artifact: signed });
    expect(out).toMatchObject({ ok: false, reason: 'ARTIFACT_MISMATCH' });
    expect(out.ok === false && out.detail).toContain('more than the signed 20000 bytes');
    expect(existsSync(join(dir, 'current'))).toBe(false);
    expect(releasesOnDisk()).toEqual([]);
    expect(readdirSync(join(dir, '.incoming'))).toEqual([]);
  });

  it('is refused before fetching when the signed size is over the host limit', async () => {
    const bytes = publish('v1', app('v1'));
    const out = await deployRelease(job('v1', bytes, { maxBytes: 10 }));
    expect(out).toMatchObject({ ok: false, reason: 'ARTIFACT_UNAVAILABLE' });
    expect(server.log).toEqual([]);
  });
});

describe('an artifact server that does not answer in time', () => {
  it('is ARTIFACT_UNAVAILABLE at the fetch timeout', async () => {
    const bytes = app('v1');
    server.stalls.add('/web/v1.tar.gz');
    const out = await deployRelease(job('v1', bytes, { fetchTimeoutMs: 500 }));
    expect(out).toMatchObject({ ok: false, reason: 'ARTIFACT_UNAVAILABLE' });
    // the timeout ended it, named as such (not a wall-clock bound: CI machines are busy)
    expect(out.ok === false && out.detail).toContain('no complete answer within 500 ms');
  });

  it('still times out when the garbage collector runs while it waits', async () => {
    // Node 20 could collect an AbortSignal.timeout() held only by AbortSignal.any(): the
    // fetch then waited forever (a CI run: 60 s on a 500 ms limit)
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    server.stalls.add('/web/v1.tar.gz');
    const pending = deployRelease(job('v1', app('v1'), { fetchTimeoutMs: 500 }));
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      gc();
    }
    const out = await pending;
    expect(out.ok === false && out.detail).toContain('no complete answer within 500 ms');
  }, 10_000);

  it('is ARTIFACT_UNAVAILABLE for a 404', async () => {
    const out = await deployRelease(job('nope', app('nope')));
    expect(out).toMatchObject({ ok: false, reason: 'ARTIFACT_UNAVAILABLE' });
    expect(out.ok === false && out.detail).toContain('HTTP 404');
  });
});

describe('a hostile tarball', () => {
  const outside = () => join(root, 'outside');
  const cases: [string, () => TarEntry[]][] = [
    [
      'a ../ entry',
      () => [
        { name: 'ok.txt', body: 'x' },
        { name: '../../outside', body: 'pwned' },
      ],
    ],
    ['an absolute path', () => [{ name: `${outside()}`, body: 'pwned' }]],
    [
      'a symlink pointing outside',
      () => [{ name: 'escape', type: 'symlink', linkname: '../../../outside' }],
    ],
    ['an absolute symlink', () => [{ name: 'escape', type: 'symlink', linkname: outside() }]],
    [
      'a file written through a symlink',
      () => [
        { name: 'sub', type: 'symlink', linkname: '.' },
        { name: 'sub/file', body: 'through a link' },
      ],
    ],
    ['a hard link outside', () => [{ name: 'hard', type: 'hardlink', linkname: '../outside' }]],
    ['a fifo', () => [{ name: 'pipe', type: 'fifo' }]],
    ['a character device', () => [{ name: 'null', type: 'char' }]],
  ];
  it.each(cases)('with %s is ARTIFACT_UNSAFE and nothing is written', async (_what, entries) => {
    const v1 = publish('v1', app('v1'));
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    const before = everything();
    const bad = publish('v2', makeTarball(entries()));
    const out = await deployRelease(job('v2', bad));
    expect(out).toMatchObject({ ok: false, status: 'failed', reason: 'ARTIFACT_UNSAFE' });
    // refused by the listing before extraction began, not by an extraction half done
    expect(out.ok === false && out.detail).toMatch(/^refused: /);
    expect(existsSync(outside())).toBe(false);
    expect(everything()).toEqual(before);
    expect(currentLink()).toMatch(/^releases\/v1-/);
  });
});

/** Processes of a group still running (zombies excepted). */
function livingMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}

describe('hooks', () => {
  it('run in the release directory, before then after the switch', async () => {
    const bytes = publish('v1', app('v1'));
    const out = await deployRelease(
      job('v1', bytes, {
        before: ['sh', '-c', 'echo "before in $(pwd) current=$(readlink ../../current)"'],
        after: ['sh', '-c', 'echo "after current=$(readlink ../../current)"'],
      }),
    );
    expect(out.ok).toBe(true);
    const name = releaseName('v1', refOf(bytes).sha256);
    expect(lines).toContain(`[before] before in ${join(dir, 'releases', name)} current=`);
    expect(lines).toContain(`[after] after current=releases/${name}`);
  });

  it('a before hook that hangs is killed at its timeout with its process group; nothing switched', async () => {
    const v1 = publish('v1', app('v1'));
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    const pids = join(root, 'hook-pids');
    const bytes = publish('v2', app('v2'));
    const started = Date.now();
    const out = await deployRelease(
      job('v2', bytes, {
        before: ['sh', '-c', `echo $$ > ${pids}; sleep 60 & sleep 60; echo never`],
        hookTimeoutMs: 500,
      }),
    );
    // far below the hook's 60 s sleep: it was killed, not waited for (a busy CI machine is slow)
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(out).toMatchObject({ ok: false, status: 'timed-out', reason: 'HOOK_FAILED' });
    expect(out.ok === false && out.detail).toContain(
      'before hook timed out after 500 ms, process group killed',
    );
    const pgid = Number(readFileSync(pids, 'utf8'));
    expect(livingMembers(pgid)).toEqual([]);
    expect(currentLink()).toMatch(/^releases\/v1-/);
  });

  it('a failing after hook switches current back', async () => {
    const v1 = publish('v1', app('v1'));
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    const before = currentLink();
    const bytes = publish('v2', app('v2'));
    const out = await deployRelease(job('v2', bytes, { after: ['sh', '-c', 'exit 4'] }));
    expect(out).toMatchObject({ ok: false, status: 'failed', reason: 'HOOK_FAILED' });
    expect(currentLink()).toBe(before);
  });
});

describe('a rollback to a release still on disk', () => {
  it('switches the link without fetching', async () => {
    const v1 = publish('v1', app('v1'));
    const v2 = publish('v2', app('v2'));
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    expect((await deployRelease(job('v2', v2))).ok).toBe(true);
    server.log.length = 0;
    const out = await deployRelease(job('v1', v1));
    expect(out).toMatchObject({
      ok: true,
      fetched: false,
      previous: `releases/${releaseName('v2', refOf(v2).sha256)}`,
    });
    expect(server.log).toEqual([]);
    expect(currentLink()).toBe(`releases/${releaseName('v1', refOf(v1).sha256)}`);
  });

  it('with another digest for the same version fetches it', async () => {
    const v1 = publish('v1', app('v1'));
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    const rebuilt = publish('v1', app('v1-rebuilt'));
    server.log.length = 0;
    const out = await deployRelease(job('v1', rebuilt));
    expect(out).toMatchObject({ ok: true, fetched: true });
    expect(server.log).toEqual(['GET /web/v1.tar.gz']);
  });
});

describe('pruning', () => {
  it('keeps the newest N releases, the current one always among them', async () => {
    for (const v of ['v1', 'v2', 'v3', 'v4']) {
      const bytes = publish(v, app(v));
      expect((await deployRelease(job(v, bytes))).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
    }
    // back to v1, then keep 2: v1 (current) and v4 (newest)
    const v1 = server.files.get('/web/v1.tar.gz')!;
    expect((await deployRelease(job('v1', v1))).ok).toBe(true);
    const removed = pruneReleases(layoutOf(dir), 2);
    expect(removed.map((n) => n.split('-')[0]).sort()).toEqual(['v2', 'v3']);
    expect(
      releasesOnDisk()
        .map((n) => n.split('-')[0])
        .sort(),
    ).toEqual(['v1', 'v4']);
    expect(readdirSync(join(dir, 'releases')).filter((n) => n.endsWith('.json'))).toHaveLength(2);
  });
});
