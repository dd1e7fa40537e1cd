import { readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactServer } from '@serfbort/testkit';
import { makeTarball, refOf, startArtifactServer } from '@serfbort/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';

/*
 * The operator's journey with the real CLI, a real hub and a real agent: `--artifact`
 * signs the file's digest, the agent fetches from a static server on 127.0.0.1, the
 * receipt and `check` report the digest, and a rollback to a release on disk fetches nothing.
 */

let fleet: Fleet;
let files: ArtifactServer;
const bytes: Record<string, Buffer> = {};
const digest = (v: string) => refOf(bytes[v]!).sha256;
const current = () => readlinkSync(join(fleet.dir, 'agents', 'weba', 'srv', 'web', 'current'));

interface DeployDoc {
  ok: boolean;
  artifact?: { sha256: string; size: number; name?: string };
  hosts: {
    host: string;
    status: string;
    reason: string | null;
    versionAfter: string | null;
    artifact?: { sha256: string; fetched?: string };
  }[];
}

beforeAll(async () => {
  files = await startArtifactServer();
  fleet = new Fleet();
  for (const v of ['v1', 'v2']) {
    bytes[v] = makeTarball([{ name: 'VERSION', body: `${v}\n` }]);
    files.files.set(`/web/${v}.tar.gz`, bytes[v]!);
    writeFileSync(join(fleet.dir, `web-${v}.tar.gz`), bytes[v]!);
  }
  fleet.agentExtra = {
    apps: {
      web: {
        release: {
          url: `${files.url}/web/{version}.tar.gz`,
          dir: 'srv/web',
          keep: 3,
          after: ['sh', '-c', 'cat VERSION'],
        },
      },
    },
  };
  await trustedFleet(fleet, ['weba']);
}, 120_000);
afterAll(async () => {
  await fleet?.close();
  await files?.close();
});

const deploy = (version: string, extra: string[] = []) =>
  fleet.cli('alice', [
    'deploy',
    'web',
    version,
    '--hosts',
    'weba',
    '--artifact',
    `web-${version}.tar.gz`,
    '--yes',
    ...extra,
  ]);

describe('serfbort deploy --artifact', () => {
  it('signs the file digest and size; the host deploys exactly those bytes and signs the digest back', async () => {
    const run = expectOk(await deploy('v1', ['--json']), 'deploy v1');
    const doc = run.json<DeployDoc>();
    expect(doc.artifact).toEqual({
      sha256: digest('v1'),
      size: bytes.v1!.length,
      name: 'web-v1.tar.gz',
    });
    expect(doc.hosts).toEqual([
      expect.objectContaining({
        host: 'weba',
        status: 'succeeded',
        versionAfter: 'v1',
        artifact: { sha256: digest('v1') },
      }),
    ]);
    expect(current()).toBe(`releases/v1-${digest('v1').slice(0, 12)}`);
    expect(files.log).toEqual(['GET /web/v1.tar.gz']);
  });

  it('shows the digest to people too', async () => {
    const run = expectOk(await deploy('v2'), 'deploy v2');
    expect(run.stderr + run.stdout).toContain(`sha256 ${digest('v2')}`);
    expect(current()).toBe(`releases/v2-${digest('v2').slice(0, 12)}`);
  });

  it('check reports the digest of the release each host runs', async () => {
    const run = expectOk(
      await fleet.cli('alice', ['check', 'web', '--hosts', 'weba', '--json']),
      'check',
    );
    const doc = run.json<{ hosts: { host: string; version: string; artifact?: string }[] }>();
    expect(doc.hosts).toEqual([
      expect.objectContaining({ host: 'weba', version: 'v2', artifact: digest('v2') }),
    ]);
    const table = expectOk(await fleet.cli('alice', ['check', 'web', '--hosts', 'weba']), 'check');
    expect(table.stdout).toContain(digest('v2'));
  });

  it('a rollback to a release still on disk is a new signed request that switches the link without a fetch', async () => {
    files.log.length = 0;
    const doc = expectOk(await deploy('v1', ['--json']), 'rollback to v1').json<DeployDoc>();
    expect(doc.hosts[0]).toMatchObject({ status: 'succeeded', versionAfter: 'v1' });
    expect(files.log).toEqual([]);
    expect(current()).toBe(`releases/v1-${digest('v1').slice(0, 12)}`);
  });

  it('a rollout with --artifact is refused rather than sent without the digest', async () => {
    const run = await deploy('v2', ['--canary-hosts', 'weba']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rollouts do not carry an artifact');
  });

  it('an artifact file that is not there is a usage error before anything is signed', async () => {
    const run = await fleet.cli('alice', [
      'deploy',
      'web',
      'v3',
      '--hosts',
      'weba',
      '--artifact',
      'nope.tar.gz',
      '--yes',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FILE_NOT_FOUND');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
