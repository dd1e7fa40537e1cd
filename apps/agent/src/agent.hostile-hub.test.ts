import type { AdmissionCode, Envelope } from '@serfbort/core';
import {
  keyIdOf,
  PAYLOAD_TYPES,
  RECEIPT_V2_TYPE,
  signPayload,
  verifyEnvelope,
} from '@serfbort/core';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import { key, signDeploy, signKeyring, standardTrust } from '@serfbort/testkit';
import type { TestHost } from '@serfbort/testkit/agent';
import { createTestHost, removeTestHosts, startRelayHub } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentHandle } from './index.js';
import { loadConfig, startAgent } from './index.js';

const trust = standardTrust();
const alice = trust.operatorKey;
const bob = key(3);
const carol = key(4);
const stranger = key(5);
// alice may do anything; bob only `api`; `creds` needs two operators
const keyring = signKeyring(
  {
    operators: [
      { name: 'alice', key: alice },
      { name: 'bob', key: bob, apps: ['api'] },
      { name: 'carol', key: carol },
    ],
    policies: { creds: { threshold: 2 } },
  },
  [trust.rootKey],
);
let relay: Awaited<ReturnType<typeof startRelayHub>>;
let agent: AgentHandle;
let host: TestHost;

beforeAll(async () => {
  relay = await startRelayHub({ roots: [trust.root.envelope], keyring: keyring.envelope });
  host = createTestHost({
    name: 'victim-1',
    hub: relay.url,
    apps: ['web', 'creds', 'slow'],
    appConfig: { slow: { timeout: '1s' } },
    labels: ['role=web'],
    root: trust.root.envelope,
  });
  // in-process: the same agent the bundle runs, started through the library API
  agent = await startAgent(loadConfig({ path: host.configPath, env: { PATH: process.env.PATH } }));
  await relay.connected('victim-1');
});

afterAll(async () => {
  await agent?.stop({ graceMs: 1000 });
  await relay?.close();
  removeTestHosts();
});

const target = { hosts: ['victim-1'] };
const now = Date.now();

const cases: [AdmissionCode, () => Envelope][] = [
  [
    'BAD_SIGNATURE',
    () => {
      const { envelope } = signDeploy({ app: 'web', version: 'v1', target }, [alice]);
      const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
      sig[5] = (sig[5] ?? 0) ^ 1;
      return { ...envelope, signatures: [{ keyid: alice.keyId, sig: sig.toString('base64') }] };
    },
  ],
  ['UNKNOWN_SIGNER', () => signDeploy({ app: 'web', version: 'v1', target }, [stranger]).envelope],
  ['SIGNER_NOT_ALLOWED', () => signDeploy({ app: 'web', version: 'v1', target }, [bob]).envelope],
  [
    'THRESHOLD_NOT_MET',
    () => signDeploy({ app: 'creds', version: 'v1', target }, [alice]).envelope,
  ],
  [
    'EXPIRED',
    () =>
      signDeploy(
        { app: 'web', version: 'v1', target, issuedAt: now - 120_000, expiresAt: now - 60_000 },
        [alice],
      ).envelope,
  ],
  [
    'ISSUED_IN_FUTURE',
    () =>
      signDeploy(
        {
          app: 'web',
          version: 'v1',
          target,
          issuedAt: now + 3_600_000,
          expiresAt: now + 7_200_000,
        },
        [alice],
      ).envelope,
  ],
  [
    'TARGET_MISMATCH',
    () =>
      signDeploy({ app: 'web', version: 'v1', target: { selector: 'role=db' } }, [alice]).envelope,
  ],
  [
    'BAD_VERSION',
    () => signDeploy({ app: 'web', version: '$(touch pwned)', target }, [alice]).envelope,
  ],
  [
    'BAD_VERSION',
    () =>
      signDeploy({ app: 'web', version: '--upload-pack=touch pwned', target }, [alice]).envelope,
  ],
  [
    'MALFORMED',
    () =>
      signPayload(
        PAYLOAD_TYPES.deploy,
        { type: 'deploy', id: 'malformed-request-1', app: 'web', surprise: true },
        [nodeSigner(alice)],
      ),
  ],
];

describe('a hub that relays what an honest hub would refuse', () => {
  it.each(cases)('gets a signed %s receipt back, and nothing runs', async (code, make) => {
    const envelope = make();
    const id = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).id as string;
    await relay.send('victim-1', envelope);
    const { envelope: signed, receipt } = await relay.receiptFor(id);
    expect(receipt).toMatchObject({
      status: 'rejected',
      reason: code,
      host: 'victim-1',
      exitCode: null,
    });
    // today's agent signs each receipt as a link of its chain (receipt v2)
    const verified = verifyEnvelope(
      signed,
      RECEIPT_V2_TYPE,
      (k) => (k === keyIdOf(agent.publicKey) ? agent.publicKey : undefined),
      nodeVerifier,
    );
    expect(verified.ok).toBe(true);
    expect(host.ranLog('web')).toEqual([]);
    expect(host.ranLog('creds')).toEqual([]);
  });

  it('answers nothing to bytes that name no request, and stays up', async () => {
    const before = relay.receipts.length;
    await relay.send('victim-1', {
      payloadType: PAYLOAD_TYPES.receipt,
      payload: 'e30=',
      signatures: [{ keyid: alice.keyId, sig: 'AA==' }],
    });
    await relay.send('victim-1', 'not even an object');
    const ok = signDeploy({ app: 'web', version: 'v9', target }, [alice]);
    await relay.send('victim-1', ok.envelope);
    expect((await relay.receiptFor(ok.request.id)).receipt.status).toBe('succeeded');
    expect(relay.receipts.length).toBe(before + 1);
    expect(host.currentVersion('web')).toBe('v9');
  });

  it('runs a request signed by enough operators, once', async () => {
    const { envelope, request } = signDeploy({ app: 'creds', version: 'c1', target }, [
      alice,
      carol,
    ]);
    await relay.send('victim-1', envelope);
    expect((await relay.receiptFor(request.id)).receipt).toMatchObject({
      status: 'succeeded',
      versionAfter: 'c1',
    });
    await expect.poll(() => agent.pendingReceipts).toBe(0);
    await relay.send('victim-1', envelope);
    const answers = () => relay.receipts.filter((r) => r.receipt.requestId === request.id);
    await expect.poll(() => answers().length).toBe(2);
    expect(answers()[1]!.receipt).toMatchObject({ status: 'rejected', reason: 'REPLAYED' });
    expect(host.ranLog('creds').filter((l) => l.startsWith('start'))).toHaveLength(1);
  });
});

describe('a deploy that outlives its timeout', () => {
  it('has its process group killed and is reported timed-out', async () => {
    const { envelope, request } = signDeploy({ app: 'slow', version: 'hold-forever', target }, [
      alice,
    ]);
    await relay.send('victim-1', envelope);
    const { receipt } = await relay.receiptFor(request.id, 15_000);
    expect(receipt).toMatchObject({ status: 'timed-out', reason: 'TIMEOUT', versionAfter: null });
    expect(host.started('slow', 'hold-forever')).toBe(true);
    expect(host.ranLog('slow').some((l) => l.startsWith('end'))).toBe(false);
  });
});
