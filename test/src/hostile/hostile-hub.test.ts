import type { Envelope, TrustBundle } from '@serfbort/core';
import {
  fromBase64,
  PAYLOAD_TYPES,
  signBytes,
  toBase64,
  utf8Decode,
  utf8Encode,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import type { OperatorSpec } from '@serfbort/testkit';
import { key, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from './hostile-hub.js';
import { startHostileHub } from './hostile-hub.js';

/*
 * A compromised hub tries every trick on a real agent process. For each: the agent
 * answers a signed `rejected` receipt with the right reason code, and its deploy
 * script never runs (asserted on the host's disk).
 */

const [root1, root2] = [key(101), key(102)];
const alice = key(110); // may deploy anything anywhere
const bob = key(111); // may deploy only the app "api"
const carol = key(112); // may deploy only to role=db
const mallory = key(113); // revoked in keyring v2
const stranger = key(114); // never in any keyring

const operators: OperatorSpec[] = [
  { name: 'alice', key: alice },
  { name: 'bob', key: bob, apps: ['api'] },
  { name: 'carol', key: carol, selectors: ['role=db'] },
];
const rootV1 = signRoot({ keys: [root1], version: 1 }, [root1]);
const keyringV1 = signKeyring(
  { version: 1, operators: [...operators, { name: 'mallory', key: mallory }] },
  [root1],
);
const keyringV2 = signKeyring({ version: 2, operators }, [root1]);
const bundle = (roots: Envelope[], keyring: Envelope): TrustBundle => ({ roots, keyring });

/** Rewrites a field inside the signed payload and keeps the original signature. */
function tamper(envelope: Envelope, change: (p: Record<string, unknown>) => void): Envelope {
  const payload = JSON.parse(utf8Decode(fromBase64(envelope.payload))) as Record<string, unknown>;
  change(payload);
  return { ...envelope, payload: toBase64(utf8Encode(JSON.stringify(payload))) };
}

describe('a hostile hub against a real agent', () => {
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;
  const deploy = (spec: Partial<Parameters<typeof signDeploy>[0]>, signers = [alice]) =>
    signDeploy({ app: 'web', version: 'v1', target: { selector: 'role=web' }, ...spec }, signers);

  async function expectRefused(envelope: Envelope, code: string) {
    const runsBefore = host.ranLog('web').length;
    const id = (JSON.parse(utf8Decode(fromBase64(envelope.payload))) as { id: string }).id;
    const from = hub.receipts.length;
    hub.relay('weba', envelope);
    const { receipt } = await hub.receiptFor(id, from);
    expect(receipt).toMatchObject({ status: 'rejected', reason: code, host: 'weba' });
    expect(host.ranLog('web').length).toBe(runsBefore);
  }

  async function expectDeployed(envelope: Envelope, version: string) {
    const id = (JSON.parse(utf8Decode(fromBase64(envelope.payload))) as { id: string }).id;
    const from = hub.receipts.length;
    hub.relay('weba', envelope);
    const { receipt } = await hub.receiptFor(id, from);
    expect(receipt).toMatchObject({ status: 'succeeded', versionAfter: version });
    expect(host.currentVersion('web')).toBe(version);
  }

  beforeAll(async () => {
    hub = await startHostileHub(bundle([rootV1.envelope], keyringV1.envelope));
    host = createTestHost({
      name: 'weba',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web'],
      root: rootV1.envelope,
    });
    agent = spawnAgent({ configPath: host.configPath });
    await hub.connected('weba');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
  });

  let applied: Envelope;
  it('deploys an honest request (baseline)', async () => {
    applied = deploy({ version: 'v1' }).envelope;
    await expectDeployed(applied, 'v1');
  });

  it('changing the version inside a signed request → BAD_SIGNATURE', async () => {
    await expectRefused(
      tamper(deploy({ version: 'v2' }).envelope, (p) => (p.version = 'v666')),
      'BAD_SIGNATURE',
    );
  });
  it('changing the app inside a signed request → BAD_SIGNATURE', async () => {
    await expectRefused(
      tamper(deploy({ app: 'api' }).envelope, (p) => (p.app = 'web')),
      'BAD_SIGNATURE',
    );
  });
  it('widening the target inside a signed request → BAD_SIGNATURE', async () => {
    await expectRefused(
      tamper(
        deploy({ target: { hosts: ['webb'] } }).envelope,
        (p) => (p.target = { selector: 'role=web' }),
      ),
      'BAD_SIGNATURE',
    );
  });
  it('relaying a request to a host outside its target → TARGET_MISMATCH', async () => {
    await expectRefused(deploy({ target: { selector: 'role=db' } }).envelope, 'TARGET_MISMATCH');
    await expectRefused(deploy({ target: { hosts: ['webb'] } }).envelope, 'TARGET_MISMATCH');
  });
  it('replaying an applied request → REPLAYED', async () => {
    await expectRefused(applied, 'REPLAYED');
  });
  it('replaying an older request for the same app after a newer one was applied → STALE', async () => {
    const older = deploy({ version: 'v0', issuedAt: Date.now() - 60_000 }).envelope;
    await expectDeployed(deploy({ version: 'v2' }).envelope, 'v2');
    await expectRefused(older, 'STALE');
  });
  it('a key that is not in the keyring → UNKNOWN_SIGNER', async () => {
    await expectRefused(deploy({ version: 'v3' }, [stranger]).envelope, 'UNKNOWN_SIGNER');
  });
  it('an operator not allowed this app → SIGNER_NOT_ALLOWED', async () => {
    await expectRefused(deploy({ version: 'v3' }, [bob]).envelope, 'SIGNER_NOT_ALLOWED');
  });
  it('an operator not allowed this selector → SIGNER_NOT_ALLOWED', async () => {
    await expectRefused(
      deploy({ version: 'v3', target: { hosts: ['weba'] } }, [carol]).envelope,
      'SIGNER_NOT_ALLOWED',
    );
  });

  it('a revoked operator → UNKNOWN_SIGNER, including a request signed before the revocation', async () => {
    const signedBefore = deploy({ version: 'v4' }, [mallory]).envelope;
    hub.pushTrust(bundle([rootV1.envelope], keyringV2.envelope), 'weba');
    await agent.waitForEvent('trust.updated');
    await expectRefused(signedBefore, 'UNKNOWN_SIGNER');
  });

  it('an older keyring (that still lists the revoked operator) is refused', async () => {
    // events on one socket are handled in order: the update is judged before the request
    hub.pushTrust(bundle([rootV1.envelope], keyringV1.envelope), 'weba');
    await expectRefused(deploy({ version: 'v5' }, [mallory]).envelope, 'UNKNOWN_SIGNER');
  });

  it('a keyring signed by a rotated-out root key is refused', async () => {
    const rootV2 = signRoot({ keys: [root2], version: 2 }, [root1, root2]);
    const keyringV3 = signKeyring({ version: 3, operators }, [root2]);
    hub.pushTrust(bundle([rootV1.envelope, rootV2.envelope], keyringV3.envelope), 'weba');
    await agent.waitForLog(
      (l) => l.event === 'trust.updated' && (l.root as { version: number } | null)?.version === 2,
      10_000,
      'root v2',
    );
    const forged = signKeyring(
      { version: 4, operators: [...operators, { name: 'mallory', key: mallory }] },
      [root1],
    );
    hub.pushTrust(bundle([rootV1.envelope, rootV2.envelope], forged.envelope), 'weba');
    await agent.waitForLog(
      (l) => l.event === 'trust.refused' && l.code === 'TRUST_BAD_SIGNATURE',
      10_000,
      'trust.refused',
    );
    await expectRefused(deploy({ version: 'v6' }, [mallory]).envelope, 'UNKNOWN_SIGNER');
    await expectDeployed(deploy({ version: 'v6' }).envelope, 'v6');
  });

  it('an expired keyring is refused', async () => {
    const expired = signKeyring(
      {
        version: 9,
        operators: [...operators, { name: 'mallory', key: mallory }],
        issuedAt: Date.now() - 10_000,
        expiresAt: Date.now() - 1000,
      },
      [root2],
    );
    hub.pushTrust(
      {
        roots: [rootV1.envelope, signRoot({ keys: [root2], version: 2 }, [root1, root2]).envelope],
        keyring: expired.envelope,
      },
      'weba',
    );
    await agent.waitForLog(
      (l) => l.event === 'trust.refused' && l.code === 'TRUST_DOC_EXPIRED',
      10_000,
      'trust.refused',
    );
    await expectRefused(deploy({ version: 'v7' }, [mallory]).envelope, 'UNKNOWN_SIGNER');
  });

  it('replaying a request after the agent restarted → REPLAYED', async () => {
    const before = deploy({ version: 'v8' }).envelope;
    await expectDeployed(before, 'v8');
    await agent.stop('SIGTERM');
    agent = spawnAgent({ configPath: host.configPath });
    await agent.waitForEvent('agent.approved');
    await expectRefused(before, 'REPLAYED');
    await expectDeployed(deploy({ version: 'v9' }).envelope, 'v9');
  });

  it('a receipt relabelled as a deploy request is refused and runs nothing', async () => {
    const r = hub.receipts[0]!.envelope;
    const runsBefore = host.ranLog('web').length;
    const logsBefore = agent.logs.length;
    hub.relay('weba', { ...r, payloadType: PAYLOAD_TYPES.deploy });
    await agent.waitForLog(
      (l) => agent.logs.indexOf(l) >= logsBefore && l.event === 'deploy.rejected',
      10_000,
      'deploy.rejected',
    );
    expect(agent.logs.slice(logsBefore).find((l) => l.event === 'deploy.rejected')?.reason).toBe(
      'UNKNOWN_SIGNER',
    );
    expect(host.ranLog('web').length).toBe(runsBefore);
  });

  it('a keyring that lists one operator key twice is refused (one key is one vote)', async () => {
    // alice under two names would meet a threshold of 2 by herself
    const doubled = signKeyring(
      {
        version: 10,
        operators: [...operators, { name: 'alice-ci', key: alice }],
        policies: { web: { threshold: 2 } },
      },
      [root2],
    );
    hub.pushTrust(
      {
        roots: [rootV1.envelope, signRoot({ keys: [root2], version: 2 }, [root1, root2]).envelope],
        keyring: doubled.envelope,
      },
      'weba',
    );
    await agent.waitForLog(
      (l) => l.event === 'trust.refused' && l.code === 'TRUST_DUPLICATE_KEY',
      10_000,
      'trust.refused TRUST_DUPLICATE_KEY',
    );
  });

  it('a signed request that repeats a member (two targets) → MALFORMED, nothing runs', async () => {
    // a first-wins reader (a reviewer) sees webz; JSON.parse (last wins) would see weba
    const now = Date.now();
    const text =
      `{"app":"web","expiresAt":${now + 600_000},"id":"dup-member-0001","issuedAt":${now},` +
      `"signers":["${alice.keyId}"],"target":{"hosts":["webz"]},"target":{"hosts":["weba"]},` +
      '"type":"deploy","version":"v30"}';
    const runsBefore = host.ranLog('web').length;
    const logsBefore = agent.logs.length;
    // the bytes are refused before they are read, so there is no id to address a receipt to
    hub.relay('weba', signBytes(PAYLOAD_TYPES.deploy, utf8Encode(text), [nodeSigner(alice)]));
    await agent.waitForLog(
      (l) => agent.logs.indexOf(l) >= logsBefore && l.event === 'deploy.rejected',
      10_000,
      'deploy.rejected',
    );
    expect(agent.logs.slice(logsBefore).find((l) => l.event === 'deploy.rejected')?.reason).toBe(
      'MALFORMED',
    );
    expect(host.ranLog('web').length).toBe(runsBefore);
    expect(host.currentVersion('web')).not.toBe('v30');
  });

  describe("a rollout's steps (weba is in step 3 of 3)", () => {
    const rolloutId = 'rollout-hostile-1';
    const step = (index: number, hosts: string[], version: string, extra = {}) =>
      deploy({
        version,
        target: { hosts },
        rollout: { id: rolloutId, step: index, steps: 3 },
        ...extra,
      }).envelope;

    it("relaying step 1's signed request to a step-3 host → TARGET_MISMATCH", async () => {
      await expectRefused(step(0, ['webc', 'webd'], 'v20'), 'TARGET_MISMATCH');
    });

    it('replaying a step after the rollout halted → REPLAYED', async () => {
      // the client released the step that held weba, then halted on another host's failure
      const released = step(2, ['weba', 'webe'], 'v21');
      const id = (JSON.parse(utf8Decode(fromBase64(released.payload))) as { id: string }).id;
      await expectDeployed(released, 'v21');
      // after the halt the receipt is long stored; until then a replay is answered with it instead
      await agent.waitForLog(
        (l) => l.event === 'receipt.acked' && l.requestId === id,
        10_000,
        'the receipt acknowledged',
      );
      await expectRefused(released, 'REPLAYED');
    });

    it("a step's request after its deadline (a late host) → EXPIRED", async () => {
      const now = Date.now();
      await expectRefused(
        step(2, ['weba'], 'v22', { issuedAt: now - 20_000, expiresAt: now - 1_000 }),
        'EXPIRED',
      );
    });
  });
});
