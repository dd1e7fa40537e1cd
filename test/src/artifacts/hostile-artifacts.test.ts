import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope } from '@serfbort/core';
import { fromBase64, toBase64, utf8Decode, utf8Encode } from '@serfbort/core';
import type { ArtifactServer } from '@serfbort/testkit';
import {
  key,
  makeTarball,
  refOf,
  signDeploy,
  signKeyring,
  signRoot,
  startArtifactServer,
} from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from '../hostile/hostile-hub.js';
import { startHostileHub } from '../hostile/hostile-hub.js';

/*
 * A real agent process deploys releases from a real HTTP server on 127.0.0.1, fed by a
 * hub that tries to swap what the operator signed: every swap is a signed BAD_SIGNATURE
 * refusal, and bytes that are not the signed ones never become current.
 */

const root1 = key(201);
const alice = key(210);
const rootV1 = signRoot({ keys: [root1], version: 1 }, [root1]);
const keyring = signKeyring({ version: 1, operators: [{ name: 'alice', key: alice }] }, [root1]);

const tarOf = (version: string) =>
  makeTarball([
    { name: 'VERSION', body: `${version}\n` },
    { name: 'index.html', body: `<h1>${version}</h1>\n` },
  ]);

function tamper(envelope: Envelope, change: (p: Record<string, unknown>) => void): Envelope {
  const payload = JSON.parse(utf8Decode(fromBase64(envelope.payload))) as Record<string, unknown>;
  change(payload);
  return { ...envelope, payload: toBase64(utf8Encode(JSON.stringify(payload))) };
}

describe('signed artifacts through a hostile hub, on a real agent', () => {
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;
  let files: ArtifactServer;
  const v1 = tarOf('v1');
  const v2 = tarOf('v2');
  const current = () => readlinkSync(join(host.dir, 'srv', 'web', 'current'));

  const artifactFor = (version: string, bytes: Buffer) =>
    refOf(bytes, { url: `${files.url}/web/${version}.tar.gz`, name: `web-${version}.tar.gz` });
  const deploy = (version: string, bytes: Buffer) =>
    signDeploy(
      { app: 'web', version, target: { hosts: ['weba'] }, artifact: artifactFor(version, bytes) },
      [alice],
    );
  async function answer(envelope: Envelope) {
    const id = (JSON.parse(utf8Decode(fromBase64(envelope.payload))) as { id: string }).id;
    const from = hub.receipts.length;
    hub.relay('weba', envelope);
    return hub.receiptFor(id, from);
  }

  beforeAll(async () => {
    files = await startArtifactServer();
    files.files.set('/web/v1.tar.gz', v1);
    files.files.set('/web/v2.tar.gz', v2);
    hub = await startHostileHub({ roots: [rootV1.envelope], keyring: keyring.envelope });
    host = createTestHost({
      name: 'weba',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web', 'gated'],
      root: rootV1.envelope,
      // releases only: no deploy argv, no version command (the current release is the version)
      appConfig: {
        web: {
          deploy: undefined,
          version: undefined,
          release: { dir: 'srv/web', keep: 3, fetchTimeout: '10s' },
        },
        gated: {
          deploy: undefined,
          version: undefined,
          release: { url: `${files.url}/gated/{version}.tar.gz`, dir: 'srv/gated' },
          // the service is healthy only if the release it runs says so
          healthCheck: {
            command: ['grep', '-qx', 'ok', '../../srv/gated/current/STATUS'],
            retries: 0,
          },
        },
      },
    });
    agent = spawnAgent({ configPath: host.configPath });
    await hub.connected('weba');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
    await files?.close();
  });

  it('deploys the signed artifact and signs its digest into a v2 receipt', async () => {
    const { envelope } = deploy('v1', v1);
    const { envelope: signed, receipt } = await answer(envelope);
    expect(receipt).toMatchObject({
      status: 'succeeded',
      // no deploy command ran: the agent fetched, checked, unpacked and switched itself
      exitCode: null,
      versionBefore: null,
      versionAfter: 'v1',
      artifact: { sha256: refOf(v1).sha256 },
    });
    expect((signed as Envelope).payloadType).toBe('application/vnd.serfbort.receipt.v2+json');
    expect(current()).toBe(`releases/v1-${refOf(v1).sha256.slice(0, 12)}`);
  });

  it('a hub that swaps the artifact url → BAD_SIGNATURE, nothing fetched', async () => {
    files.log.length = 0;
    const { envelope } = deploy('v2', v2);
    const swapped = tamper(envelope, (p) => {
      (p.artifact as { url: string }).url = `${files.url}/evil/v2.tar.gz`;
    });
    const { receipt } = await answer(swapped);
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'BAD_SIGNATURE' });
    expect(files.log).toEqual([]);
    expect(current()).toMatch(/^releases\/v1-/);
  });

  it('a hub that swaps the digest → BAD_SIGNATURE, nothing fetched', async () => {
    files.log.length = 0;
    const evil = tarOf('evil');
    files.files.set('/web/v2.tar.gz', evil);
    const { envelope } = deploy('v2', v2);
    const swapped = tamper(envelope, (p) => {
      p.artifact = { ...(p.artifact as object), ...refOf(evil) };
    });
    const { receipt } = await answer(swapped);
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'BAD_SIGNATURE' });
    expect(files.log).toEqual([]);
    files.files.set('/web/v2.tar.gz', v2);
  });

  it('a hub that drops the artifact → BAD_SIGNATURE (it is inside the signature)', async () => {
    const { envelope } = deploy('v2', v2);
    const { receipt } = await answer(tamper(envelope, (p) => delete p.artifact));
    expect(receipt).toMatchObject({ status: 'rejected', reason: 'BAD_SIGNATURE' });
  });

  it('a byte flipped on the server → ARTIFACT_MISMATCH with both digests; the previous release stays current', async () => {
    const flipped = Buffer.from(v2);
    flipped[20]! ^= 0xff;
    files.files.set('/web/v2.tar.gz', flipped);
    const { receipt } = await answer(deploy('v2', v2).envelope);
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'ARTIFACT_MISMATCH',
      versionAfter: 'v1',
      artifact: { sha256: refOf(v2).sha256, fetched: refOf(flipped).sha256 },
    });
    expect(current()).toMatch(/^releases\/v1-/);
    expect(
      existsSync(join(host.dir, 'srv', 'web', 'releases', `v2-${refOf(v2).sha256.slice(0, 12)}`)),
    ).toBe(false);
    files.files.set('/web/v2.tar.gz', v2);
  });

  it('a release that fails its health check is switched back to the one before', async () => {
    const good = makeTarball([{ name: 'STATUS', body: 'ok\n' }]);
    const bad = makeTarball([{ name: 'STATUS', body: 'broken\n' }]);
    files.files.set('/gated/v1.tar.gz', good);
    files.files.set('/gated/v2.tar.gz', bad);
    const gated = (version: string, bytes: Buffer) =>
      signDeploy({ app: 'gated', version, target: { hosts: ['weba'] }, artifact: refOf(bytes) }, [
        alice,
      ]).envelope;
    const link = () => readlinkSync(join(host.dir, 'srv', 'gated', 'current'));
    expect((await answer(gated('v1', good))).receipt).toMatchObject({ status: 'succeeded' });
    const before = link();
    const { receipt } = await answer(gated('v2', bad));
    expect(receipt).toMatchObject({
      status: 'failed',
      reason: 'HEALTH_CHECK_FAILED',
      versionBefore: 'v1',
      versionAfter: 'v1',
      artifact: { sha256: refOf(bad).sha256 },
    });
    expect(receipt.detail).toContain(`switched back: current -> ${before}`);
    expect(link()).toBe(before);
  });

  it('a request without an artifact, for a releases-only app → ARTIFACT_REQUIRED', async () => {
    const { envelope } = signDeploy({ app: 'web', version: 'v3', target: { hosts: ['weba'] } }, [
      alice,
    ]);
    const { receipt } = await answer(envelope);
    expect(receipt).toMatchObject({ status: 'failed', reason: 'ARTIFACT_REQUIRED' });
    expect(current()).toMatch(/^releases\/v1-/);
  });
});
