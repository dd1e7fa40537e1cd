import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRow } from '@serfbort/core';
import { OPERATOR_NAMESPACE } from '@serfbort/core';
import {
  call,
  connectSocket,
  expectOk as expectAck,
  type OperatorClient,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentChain, rebuiltChain } from '../hostile/fork-audit.js';
import { startTamperProxy } from '../hostile/tamper-proxy.js';
import { expectOk, Fleet, trustedFleet } from './fleet.js';

// People who only watch (on-call, a wall screen) have the pinned root and the hub's viewer
// token, no signing key: read-only commands work and verify, signing ones are refused.
const TOKEN = 'viewer-token-for-the-wall-screen';
let fleet: Fleet;

/** The CLI with no key file at all and no passphrase: only the viewer token. */
const viewer = (args: string[], env: Record<string, string | undefined> = {}) =>
  fleet.cli('nobody', args, {
    SERFBORT_PASSPHRASE: undefined,
    SERFBORT_VIEWER_TOKEN: TOKEN,
    ...env,
  });

let requestId = '';

beforeAll(async () => {
  fleet = new Fleet();
  fleet.hubExtra = { viewerToken: TOKEN };
  await trustedFleet(fleet, ['web-1']);
  const run = expectOk(
    await fleet.cli('alice', ['deploy', 'shop', 'v2', '--hosts', 'web-1', '--yes', '--json']),
    'deploy',
  );
  requestId = run.json<{ requestId: string }>().requestId;
}, 180_000);
afterAll(async () => {
  await fleet?.close();
});

describe('a viewer without a key', () => {
  it('lists the fleet', async () => {
    const run = expectOk(await viewer(['list', '--json']), 'list');
    const { hosts } = run.json<{ hosts: { name: string; state: string }[] }>();
    expect(hosts.map((h) => [h.name, h.state])).toEqual([['web-1', 'online']]);
  });

  it('watches a deployment and verifies every receipt against the pinned root', async () => {
    const run = expectOk(await viewer(['watch', requestId, '--json']), 'watch');
    const result = run.json<{ hosts: { host: string; status: string; verified: boolean }[] }>();
    expect(result.hosts).toEqual([
      expect.objectContaining({ host: 'web-1', status: 'succeeded', verified: true }),
    ]);
  });

  it('reads rollouts, locks and pending agents', async () => {
    expectOk(await viewer(['rollout', 'list', '--json']), 'rollout list');
    expectOk(await viewer(['lock', 'status', 'shop', '--json']), 'lock status');
    expectOk(await viewer(['agents', 'pending', '--json']), 'agents pending');
  });

  it('takes the token from a file too', async () => {
    const file = join(fleet.dir, 'viewer-token');
    writeFileSync(file, `${TOKEN}\n`);
    expectOk(
      await viewer(['--viewer-token-file', file, 'list', '--json'], {
        SERFBORT_VIEWER_TOKEN: undefined,
      }),
      'list with a token file',
    );
  });

  it('cannot sign: deploy needs a key, and says so before anything reaches the hub', async () => {
    const run = await viewer(['deploy', 'shop', 'v3', '--hosts', 'web-1', '--yes', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/key/i);
  });

  it('a wrong token is refused by the hub: exit 3, UNAUTHENTICATED', async () => {
    const run = await viewer(['list'], { SERFBORT_VIEWER_TOKEN: 'not-the-viewer-token-at-all' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('UNAUTHENTICATED');
    expect(run.stderr).not.toContain('not-the-viewer-token-at-all');
  });

  it('is refused a hub whose audit history was rebuilt since it last read it: AUDIT_FORKED', async () => {
    // the viewer's earlier sessions remembered the head; a liar in front of the hub now
    // serves the same history rebuilt from row 2 on
    expectOk(await viewer(['list']), 'list remembers the audit head');
    const reader = await connectSocket<OperatorClient>(fleet.hubUrl, OPERATOR_NAMESPACE);
    expectAck(await call(reader, 'auth:challenge'));
    expectAck(await call(reader, 'auth:hello', { viewerToken: TOKEN }));
    const rows = expectAck(await call<AuditRow[]>(reader, 'audit:rows', { after: 0 }));
    reader.disconnect();
    const proxy = await startTamperProxy(fleet.hubUrl, presentChain(rebuiltChain(rows, 2)));
    const realHub = fleet.hubUrl;
    fleet.hubUrl = proxy.url;
    try {
      const run = await viewer(['list']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('AUDIT_FORKED');
      expect(run.stderr).toContain('serfbort audit forget-head');
    } finally {
      fleet.hubUrl = realHub;
      await proxy.close();
    }
  });
});
