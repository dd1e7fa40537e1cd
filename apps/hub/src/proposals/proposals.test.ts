import type { AuditRow, DeploymentView, Envelope, KeyPair, ProposalView } from '@serfbort/core';
import { fromBase64, pae, toBase64 } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import type { OperatorClient, TestAgent } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  expectOk,
  nextEvent,
  signApproval,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const rootKey = key(1);
const alice = key(2);
const bob = key(3);
/** carol may deploy only to role=db: her signature cannot count for web hosts */
const carol = key(5);
/** in no keyring */
const mallory = key(9);
const root = signRoot({ keys: [rootKey] }, [rootKey]);
const keyring = signKeyring(
  {
    operators: [
      { name: 'alice', key: alice },
      { name: 'bob', key: bob },
      { name: 'carol', key: carol, selectors: ['role=db'] },
    ],
    policies: { creds: { threshold: 2 } },
  },
  [rootKey],
);
const viewerToken = 'viewer-token-0123456789';
const webKey = key(400);

let hub: TestHub;
let asAlice: OperatorClient;
let asBob: OperatorClient;
let asCarol: OperatorClient;
let agent: TestAgent;

beforeAll(async () => {
  hub = await startTestHub({ trust: { root, keyring }, viewerToken });
  asAlice = await connectOperator(hub.url, { key: alice });
  asBob = await connectOperator(hub.url, { key: bob });
  asCarol = await connectOperator(hub.url, { key: carol });
  agent = await connectAgent(hub.url, {
    key: webKey,
    name: 'web-1',
    labels: { role: 'web' },
    apps: ['creds'],
  });
  const approved = nextEvent(agent.socket, 'auth:approved');
  expectOk(await call(asAlice, 'agents:approve', signApproval(alice, webKey, 'web-1')));
  await approved;
});
afterAll(async () => {
  for (const s of [asAlice, asBob, asCarol, agent?.socket]) s?.disconnect();
  await hub?.dispose();
});

const credsRequest = (extra: { expiresAt?: number } = {}) =>
  signDeploy({ app: 'creds', version: 'v1', target: { hosts: ['web-1'] }, ...extra }, [alice]);

/** A co-signature over the envelope's exact payload bytes, as every client produces it. */
function coSign(envelope: Envelope, signer: KeyPair) {
  const message = pae(envelope.payloadType, fromBase64(envelope.payload));
  return { keyid: signer.keyId, sig: toBase64(nodeSigner(signer).sign(message)) };
}

async function propose(envelope: Envelope) {
  return expectOk(
    await call<{ requestId: string; status: string }>(asAlice, 'proposal:create', { envelope }),
  );
}

/** The `proposal:changed` event for one proposal and status, skipping other proposals' events. */
function changeOf(socket: OperatorClient, requestId: string, status: string, timeoutMs: number) {
  return new Promise<{ requestId: string; status: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${status} for ${requestId}`)), timeoutMs);
    const on = (c: { requestId: string; status: string }) => {
      if (c.requestId !== requestId || c.status !== status) return;
      clearTimeout(timer);
      socket.off('proposal:changed', on);
      resolve(c);
    };
    socket.on('proposal:changed', on);
  });
}

const errorCode = (ack: { ok: boolean; error?: { code: string } }) =>
  ack.ok ? 'ok' : ack.error?.code;

describe('a request for an app that needs two signatures', () => {
  it('is stored open, listed for viewers, co-signed by bob, then submitted and delivered', async () => {
    const { envelope, request } = credsRequest();
    const viewer = await connectOperator(hub.url, { viewerToken });
    const told = nextEvent<{ requestId: string; status: string }>(viewer, 'proposal:changed');
    expect(await propose(envelope)).toEqual({ requestId: request.id, status: 'open' });
    expect(await told).toEqual({ requestId: request.id, status: 'open' });

    const listed = expectOk(
      await call<ProposalView[]>(viewer, 'proposal:list', { status: 'open' }),
    );
    const mine = listed.find((p) => p.requestId === request.id)!;
    expect(mine).toMatchObject({
      proposedBy: alice.keyId,
      proposedByName: 'alice',
      status: 'open',
    });
    expect(mine.envelope).toEqual(envelope);
    expect(mine.expiresAt).toBe(request.expiresAt);
    // viewers read, never write
    expect(
      errorCode(
        await call(viewer, 'proposal:sign', {
          requestId: request.id,
          signature: coSign(envelope, bob),
        }),
      ),
    ).toBe('FORBIDDEN');
    viewer.disconnect();

    const submitted = nextEvent<{ requestId: string; status: string }>(asAlice, 'proposal:changed');
    const after = expectOk(
      await call<ProposalView>(asBob, 'proposal:sign', {
        requestId: request.id,
        signature: coSign(envelope, bob),
      }),
    );
    expect(after).toMatchObject({ status: 'submitted', deploymentId: request.id });
    expect(after.envelope.payload).toBe(envelope.payload);
    expect(after.envelope.signatures.map((s) => s.keyid)).toEqual([alice.keyId, bob.keyId]);
    expect((await submitted).status).toBe('submitted');

    const deployment = expectOk(
      await call<DeploymentView>(asBob, 'deploy:watch', { requestId: request.id }),
    );
    expect(deployment.signerNames.sort()).toEqual(['alice', 'bob']);
    await agent.waitForRequests(1);
    expect(agent.requests.at(-1)).toEqual(after.envelope);
  });

  it('is submitted at once when the proposal already carries both signatures', async () => {
    const both = signDeploy({ app: 'creds', version: 'v2', target: { hosts: ['web-1'] } }, [
      alice,
      bob,
    ]);
    expect(await propose(both.envelope)).toEqual({
      requestId: both.request.id,
      status: 'submitted',
    });
    const view = expectOk(
      await call<ProposalView>(asBob, 'proposal:get', { requestId: both.request.id }),
    );
    expect(view.deploymentId).toBe(both.request.id);
  });
});

describe('when an acknowledgement was lost', () => {
  it('takes the very same signature again as a retry, not ALREADY_SIGNED', async () => {
    const { envelope, request } = credsRequest();
    await propose(envelope);
    const bobs = coSign(envelope, bob);
    const first = expectOk(
      await call<ProposalView>(asBob, 'proposal:sign', { requestId: request.id, signature: bobs }),
    );
    const again = expectOk(
      await call<ProposalView>(asBob, 'proposal:sign', { requestId: request.id, signature: bobs }),
    );
    expect(first.status).toBe('submitted');
    expect(again).toEqual(first);
  });
});

describe('when a co-signature is junk', () => {
  it('refuses a signature over other bytes with BAD_SIGNATURE', async () => {
    const { envelope, request } = credsRequest();
    await propose(envelope);
    const other = credsRequest().envelope;
    const ack = await call(asBob, 'proposal:sign', {
      requestId: request.id,
      signature: coSign(other, bob),
    });
    expect(errorCode(ack)).toBe('BAD_SIGNATURE');
  });

  it('refuses a key outside the keyring with UNKNOWN_SIGNER', async () => {
    const { envelope, request } = credsRequest();
    await propose(envelope);
    const ack = await call(asBob, 'proposal:sign', {
      requestId: request.id,
      signature: coSign(envelope, mallory),
    });
    expect(errorCode(ack)).toBe('UNKNOWN_SIGNER');
  });

  it('refuses a key not allowed these hosts with SIGNER_NOT_ALLOWED, and keeps it open', async () => {
    const { envelope, request } = credsRequest();
    await propose(envelope);
    const ack = await call(asCarol, 'proposal:sign', {
      requestId: request.id,
      signature: coSign(envelope, carol),
    });
    expect(errorCode(ack)).toBe('SIGNER_NOT_ALLOWED');
    const view = expectOk(
      await call<ProposalView>(asBob, 'proposal:get', { requestId: request.id }),
    );
    expect(view.status).toBe('open');
    expect(view.envelope.signatures).toHaveLength(1);
  });

  it('refuses another signature by a key that signed with ALREADY_SIGNED', async () => {
    const { envelope, request } = credsRequest();
    await propose(envelope);
    // Ed25519 is deterministic: a second signature by alice differs only if it is junk
    const other = { keyid: alice.keyId, sig: coSign(credsRequest().envelope, alice).sig };
    const ack = await call(asAlice, 'proposal:sign', { requestId: request.id, signature: other });
    expect(errorCode(ack)).toBe('ALREADY_SIGNED');
  });

  it('refuses a malformed signature shape with BAD_REQUEST', async () => {
    const { envelope, request } = credsRequest();
    await propose(envelope);
    const ack = await call(asBob, 'proposal:sign', {
      requestId: request.id,
      signature: { keyid: 'nope', sig: 'x' },
    });
    expect(errorCode(ack)).toBe('BAD_REQUEST');
  });
});

describe('when the proposal itself is bad', () => {
  it('refuses a tampered payload with BAD_SIGNATURE', async () => {
    const { envelope } = credsRequest();
    const bytes = fromBase64(envelope.payload);
    const text = new TextDecoder().decode(bytes).replace('"v1"', '"v9"');
    const tampered = { ...envelope, payload: toBase64(new TextEncoder().encode(text)) };
    expect(errorCode(await call(asAlice, 'proposal:create', { envelope: tampered }))).toBe(
      'BAD_SIGNATURE',
    );
  });

  it('refuses an expired request with EXPIRED', async () => {
    const { envelope } = credsRequest({ expiresAt: Date.now() - 1000 });
    expect(errorCode(await call(asAlice, 'proposal:create', { envelope }))).toBe('EXPIRED');
  });

  it('refuses an oversized envelope with OVERSIZED', async () => {
    const { envelope } = credsRequest();
    const huge = { ...envelope, payload: 'A'.repeat(80_000) };
    expect(errorCode(await call(asAlice, 'proposal:create', { envelope: huge }))).toBe('OVERSIZED');
  });

  it('refuses the same id with other bytes with REPLAYED, and the same bytes are a retry', async () => {
    const first = credsRequest();
    await propose(first.envelope);
    expect(await propose(first.envelope)).toEqual({ requestId: first.request.id, status: 'open' });
    const again = signDeploy(
      { app: 'creds', version: 'v3', target: { hosts: ['web-1'] }, id: first.request.id },
      [alice],
    );
    expect(errorCode(await call(asAlice, 'proposal:create', { envelope: again.envelope }))).toBe(
      'REPLAYED',
    );
  });

  it('refuses viewers with FORBIDDEN', async () => {
    const viewer = await connectOperator(hub.url, { viewerToken });
    const ack = await call(viewer, 'proposal:create', { envelope: credsRequest().envelope });
    viewer.disconnect();
    expect(errorCode(ack)).toBe('FORBIDDEN');
  });
});

describe('when a proposal expires', () => {
  it('reads expired and refuses signatures with EXPIRED; nothing is submitted', async () => {
    const { envelope, request } = credsRequest({ expiresAt: Date.now() + 1500 });
    await propose(envelope);
    await new Promise((r) => setTimeout(r, 1600));
    // read by the clock before the expiry loop has looked
    const view = expectOk(
      await call<ProposalView>(asBob, 'proposal:get', { requestId: request.id }),
    );
    expect(view.status).toBe('expired');
    const ack = await call(asBob, 'proposal:sign', {
      requestId: request.id,
      signature: coSign(envelope, bob),
    });
    expect(errorCode(ack)).toBe('EXPIRED');
    expect(errorCode(await call(asBob, 'deploy:watch', { requestId: request.id }))).toBe(
      'NOT_FOUND',
    );
    const expired = expectOk(
      await call<ProposalView[]>(asBob, 'proposal:list', { status: 'expired' }),
    );
    expect(expired.map((p) => p.requestId)).toContain(request.id);
  });

  it('is announced as expired to operators by the expiry loop, once', async () => {
    const { envelope, request } = credsRequest({ expiresAt: Date.now() + 500 });
    await propose(envelope);
    const told = await changeOf(asBob, request.id, 'expired', 10_000);
    expect(told).toEqual({ requestId: request.id, status: 'expired' });
    const open = expectOk(await call<ProposalView[]>(asBob, 'proposal:list', { status: 'open' }));
    expect(open.map((p) => p.requestId)).not.toContain(request.id);
    const expired = expectOk(
      await call<ProposalView[]>(asBob, 'proposal:list', { status: 'expired' }),
    );
    expect(expired.map((p) => p.requestId)).toContain(request.id);
  });
});

describe('withdrawing', () => {
  it('is refused to an operator not allowed the app, allowed to the proposer, and final', async () => {
    const restricted = signKeyring(
      {
        version: 2,
        operators: [
          { name: 'alice', key: alice },
          { name: 'bob', key: bob },
          { name: 'carol', key: carol, selectors: ['role=db'], apps: ['api'] },
        ],
        policies: { creds: { threshold: 2 } },
      },
      [rootKey],
    );
    expectOk(
      await call(asAlice, 'trust:publish', { kind: 'keyring', envelope: restricted.envelope }),
    );
    const { envelope, request } = credsRequest();
    await propose(envelope);
    expect(errorCode(await call(asCarol, 'proposal:withdraw', { requestId: request.id }))).toBe(
      'FORBIDDEN',
    );
    const view = expectOk(
      await call<ProposalView>(asAlice, 'proposal:withdraw', { requestId: request.id }),
    );
    expect(view.status).toBe('withdrawn');
    const ack = await call(asBob, 'proposal:sign', {
      requestId: request.id,
      signature: coSign(envelope, bob),
    });
    expect(errorCode(ack)).toBe('CONFLICT');
    expect(errorCode(await call(asBob, 'proposal:get', { requestId: 'no-such-proposal-1' }))).toBe(
      'NOT_FOUND',
    );
  });
});

describe('the audit log', () => {
  /** Every audit row about `requestId` of kind proposal, oldest first: its event and signer. */
  async function proposalEvents(requestId: string) {
    const rows: AuditRow[] = [];
    for (;;) {
      const page = expectOk(
        await call<AuditRow[]>(asBob, 'audit:rows', { after: rows.at(-1)?.seq ?? 0 }),
      );
      rows.push(...page);
      if (page.length === 0) break;
    }
    return rows
      .filter((r) => r.kind === 'proposal')
      .map((r) => JSON.parse(r.body) as { event: string; requestId: string; by?: string })
      .filter((b) => b.requestId === requestId)
      .map((b) => [b.event, b.by ?? null]);
  }

  it('records who proposed, who co-signed, who withdrew and what expired', async () => {
    const signedOff = credsRequest();
    await propose(signedOff.envelope);
    expectOk(
      await call(asBob, 'proposal:sign', {
        requestId: signedOff.request.id,
        signature: coSign(signedOff.envelope, bob),
      }),
    );
    expect(await proposalEvents(signedOff.request.id)).toEqual([
      ['create', alice.keyId],
      ['sign', bob.keyId],
    ]);

    const withdrawn = credsRequest();
    await propose(withdrawn.envelope);
    expectOk(await call(asAlice, 'proposal:withdraw', { requestId: withdrawn.request.id }));
    expect(await proposalEvents(withdrawn.request.id)).toEqual([
      ['create', alice.keyId],
      ['withdraw', alice.keyId],
    ]);

    const lapsed = credsRequest({ expiresAt: Date.now() + 500 });
    await propose(lapsed.envelope);
    await changeOf(asBob, lapsed.request.id, 'expired', 10_000);
    expect(await proposalEvents(lapsed.request.id)).toEqual([
      ['create', alice.keyId],
      ['expire', null],
    ]);
    expect(expectOk(await call<{ ok: boolean }>(asBob, 'audit:verify')).ok).toBe(true);
  });
});
