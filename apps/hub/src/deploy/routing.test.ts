import type { DeploymentSummary, DeploymentView, HostView } from '@serfbort/core';
import { PAYLOAD_TYPES, signPayload } from '@serfbort/core';
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
  signReceipt,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const rootKey = key(1);
const alice = key(2);
/** carol may deploy only to role=db */
const carol = key(5);
const root = signRoot({ keys: [rootKey] }, [rootKey]);
const keyring = signKeyring(
  {
    operators: [
      { name: 'alice', key: alice },
      { name: 'carol', key: carol, selectors: ['role=db'] },
    ],
    policies: { creds: { threshold: 2 } },
  },
  [rootKey],
);
const hostKeys = {
  'web-1': key(400),
  'web-2': key(401),
  'db-1': key(402),
  'off-1': key(403),
} as const;
const labels = {
  'web-1': { role: 'web' },
  'web-2': { role: 'web', canary: '' },
  'db-1': { role: 'db' },
  'off-1': { role: 'batch' },
};
type Host = keyof typeof hostKeys;

let hub: TestHub;
let op: OperatorClient;
const agents = new Map<Host, TestAgent>();

const attach = (name: Host) =>
  connectAgent(hub.url, { key: hostKeys[name], name, labels: labels[name], apps: ['shop', 'api'] });

beforeAll(async () => {
  hub = await startTestHub({ trust: { root, keyring } });
  op = await connectOperator(hub.url, { key: alice });
  for (const name of Object.keys(hostKeys) as Host[]) {
    const agent = await attach(name);
    const approved = nextEvent(agent.socket, 'auth:approved');
    expectOk(await call(op, 'agents:approve', signApproval(alice, hostKeys[name], name)));
    await approved;
    agents.set(name, agent);
  }
  agents.get('off-1')!.socket.disconnect();
});
afterAll(async () => {
  op?.disconnect();
  for (const a of agents.values()) a.socket.disconnect();
  await hub?.dispose();
});

async function submit(envelope: unknown) {
  const ack = await call<DeploymentView>(op, 'deploy:submit', envelope);
  return ack;
}

/** Waits until `n` deploy:update events with the given state arrived. */
function updates(state: string, n: number) {
  return new Promise<string[]>((resolve) => {
    const hosts: string[] = [];
    const on = (u: { host: { host: string; state: string } }) => {
      if (u.host.state !== state) return;
      hosts.push(u.host.host);
      if (hosts.length === n) {
        op.off('deploy:update', on);
        resolve(hosts.sort());
      }
    };
    op.on('deploy:update', on);
  });
}

describe('routing by labels', () => {
  it('relays to the matching hosts only; an agent outside the target never receives it', async () => {
    const { envelope } = signDeploy(
      { app: 'shop', version: 'v2', target: { selector: 'role=web' } },
      [alice],
    );
    const delivered = updates('delivered', 2);
    const view = expectOk(await submit(envelope));
    expect(view.hosts.map((h) => h.host)).toEqual(['web-1', 'web-2']);
    expect(await delivered).toEqual(['web-1', 'web-2']);
    expect(agents.get('web-1')!.requests).toContainEqual(envelope);
    expect(agents.get('web-2')!.requests).toContainEqual(envelope);
    expect(agents.get('db-1')!.requests).toEqual([]);
  });

  it('routes an explicit host list and a bare-label selector', async () => {
    const byName = signDeploy({ app: 'api', version: 'v3', target: { hosts: ['db-1', 'nope'] } }, [
      alice,
    ]);
    const first = updates('delivered', 1);
    expect(expectOk(await submit(byName.envelope)).hosts.map((h) => h.host)).toEqual(['db-1']);
    expect(await first).toEqual(['db-1']);
    const canary = signDeploy({ app: 'api', version: 'v4', target: { selector: 'canary' } }, [
      alice,
    ]);
    const delivered = updates('delivered', 1);
    expect(expectOk(await submit(canary.envelope)).hosts.map((h) => h.host)).toEqual(['web-2']);
    expect(await delivered).toEqual(['web-2']);
    expect(agents.get('web-1')!.requests).not.toContainEqual(canary.envelope);
  });

  it('refuses with NO_MATCHING_HOSTS when the registry has no such host', async () => {
    const ack = await submit(
      signDeploy({ app: 'shop', version: 'v2', target: { selector: 'role=nothing' } }, [alice])
        .envelope,
    );
    expect(ack.ok || ack.error.code).toBe('NO_MATCHING_HOSTS');
  });
});

describe('refusing early, with the agent’s reason codes', () => {
  const refusal = async (envelope: unknown) => {
    const ack = await submit(envelope);
    return ack.ok ? 'ok' : ack.error.code;
  };

  it('refuses bad signatures, unknown signers, expiry, bad versions and scope', async () => {
    const good = signDeploy({ app: 'shop', version: 'v5', target: { hosts: ['web-1'] } }, [
      alice,
    ]).envelope;
    const forged = signDeploy({ app: 'shop', version: 'v6', target: { hosts: ['web-1'] } }, [
      alice,
    ]).envelope;
    expect(await refusal({ ...good, signatures: forged.signatures })).toBe('BAD_SIGNATURE');
    expect(
      await refusal(
        signDeploy({ app: 'shop', version: 'v5', target: { hosts: ['web-1'] } }, [key(60)])
          .envelope,
      ),
    ).toBe('UNKNOWN_SIGNER');
    expect(
      await refusal(
        signDeploy(
          {
            app: 'shop',
            version: 'v5',
            target: { hosts: ['web-1'] },
            issuedAt: Date.now() - 7200_000,
            expiresAt: Date.now() - 1,
          },
          [alice],
        ).envelope,
      ),
    ).toBe('EXPIRED');
    expect(
      await refusal(
        signDeploy(
          {
            app: 'shop',
            version: 'v5',
            target: { hosts: ['web-1'] },
            issuedAt: Date.now() + 3600_000,
            expiresAt: Date.now() + 7200_000,
          },
          [alice],
        ).envelope,
      ),
    ).toBe('ISSUED_IN_FUTURE');
    expect(
      await refusal(
        signDeploy({ app: 'shop', version: '--upload-pack=x', target: { hosts: ['web-1'] } }, [
          alice,
        ]).envelope,
      ),
    ).toBe('BAD_VERSION');
    expect(
      await refusal(
        signDeploy({ app: 'shop', version: 'v5', target: { selector: 'role=web' } }, [carol])
          .envelope,
      ),
    ).toBe('SIGNER_NOT_ALLOWED');
    expect(
      await refusal(
        signDeploy({ app: 'creds', version: 'v5', target: { hosts: ['web-1'] } }, [alice]).envelope,
      ),
    ).toBe('THRESHOLD_NOT_MET');
    expect(await refusal(signPayload(PAYLOAD_TYPES.receipt, { x: 1 }, [nodeSigner(alice)]))).toBe(
      'WRONG_PAYLOAD_TYPE',
    );
    expect(
      await refusal(signPayload(PAYLOAD_TYPES.deploy, { type: 'deploy' }, [nodeSigner(alice)])),
    ).toBe('MALFORMED');
    expect(await refusal('not an envelope')).toBe('MALFORMED');
  });

  it('treats the same bytes again as a retry and other bytes under the same id as a replay', async () => {
    const first = signDeploy({ app: 'shop', version: 'v7', target: { hosts: ['db-1'] } }, [alice]);
    const a = expectOk(await submit(first.envelope));
    const b = expectOk(await submit(first.envelope));
    expect(b.requestId).toBe(a.requestId);
    const other = signDeploy(
      { app: 'shop', version: 'v8', target: { hosts: ['db-1'] }, id: first.request.id },
      [alice],
    );
    expect(await refusal(other.envelope)).toBe('REPLAYED');
  });
});

describe('an offline host', () => {
  it('gets only the newest unexpired pending request per app when it reconnects', async () => {
    const now = Date.now();
    const old = signDeploy(
      { app: 'shop', version: 'v10', target: { hosts: ['off-1'] }, issuedAt: now - 2000 },
      [alice],
    );
    const newest = signDeploy(
      { app: 'shop', version: 'v11', target: { hosts: ['off-1'] }, issuedAt: now - 1000 },
      [alice],
    );
    const soon = signDeploy(
      {
        app: 'api',
        version: 'v12',
        target: { hosts: ['off-1'] },
        issuedAt: now - 1000,
        expiresAt: now + 1500,
      },
      [alice],
    );
    for (const d of [old, newest, soon])
      expect(expectOk(await submit(d.envelope)).hosts[0]?.state).toBe('pending');
    const hosts = expectOk(
      await call<HostView[]>(op, 'hosts:list', { target: { hosts: ['off-1'] } }),
    );
    expect(hosts[0]?.pendingDeploys.map((p) => p.version).sort()).toEqual(['v10', 'v11', 'v12']);
    await new Promise((r) => setTimeout(r, 1600 - (Date.now() - now)));
    for (const d of [old, newest, soon])
      expectOk(await call(op, 'deploy:watch', { requestId: d.request.id }));
    const expired = updates('expired', 2);
    const back = await attach('off-1');
    agents.set('off-1', back);
    await back.waitForRequests(1);
    expect(await expired).toEqual(['off-1', 'off-1']);
    expect(back.requests).toEqual([newest.envelope]);
    const oldView = expectOk(
      await call<DeploymentView>(op, 'deploy:watch', { requestId: old.request.id }),
    );
    expect(oldView.hosts[0]).toMatchObject({ state: 'expired', reason: 'SUPERSEDED' });
    const soonView = expectOk(
      await call<DeploymentView>(op, 'deploy:watch', { requestId: soon.request.id }),
    );
    expect(soonView.hosts[0]).toMatchObject({ state: 'expired', reason: 'EXPIRED' });
    // the history says which expired hosts were superseded, so no face calls them "expired"
    const history = expectOk(await call<DeploymentSummary[]>(op, 'deploy:list', { limit: 100 }));
    const summary = (id: string) => history.find((d) => d.requestId === id);
    expect(summary(old.request.id)).toMatchObject({ counts: { expired: 1 }, superseded: 1 });
    expect(summary(soon.request.id)?.counts).toEqual({ expired: 1 });
    expect(summary(soon.request.id)).not.toHaveProperty('superseded');
  });
});

describe('a host that acknowledged a request and died before answering it', () => {
  it('gets it again when it comes back, and one that expired meanwhile ends expired, not delivered forever (soak seed 3363)', async () => {
    const now = Date.now();
    const lasting = signDeploy({ app: 'shop', version: 'v30', target: { hosts: ['off-1'] } }, [
      alice,
    ]);
    const brief = signDeploy(
      { app: 'api', version: 'v31', target: { hosts: ['off-1'] }, expiresAt: now + 1500 },
      [alice],
    );
    const before = agents.get('off-1')!;
    const delivered = updates('delivered', 2);
    for (const d of [lasting, brief]) expectOk(await submit(d.envelope));
    expect(await delivered).toEqual(['off-1', 'off-1']);
    // SIGKILLed before recording either: no receipt will ever come from this connection
    before.socket.disconnect();
    await new Promise((r) => setTimeout(r, Math.max(0, 1600 - (Date.now() - now))));
    for (const d of [lasting, brief])
      expectOk(await call(op, 'deploy:watch', { requestId: d.request.id }));
    const expired = updates('expired', 1);
    const back = await attach('off-1');
    agents.set('off-1', back);
    await back.waitForRequests(1);
    expect(back.requests).toEqual([lasting.envelope]);
    expect(await expired).toEqual(['off-1']);
    const briefView = expectOk(
      await call<DeploymentView>(op, 'deploy:watch', { requestId: brief.request.id }),
    );
    expect(briefView.hosts[0]).toMatchObject({ state: 'expired', reason: 'EXPIRED' });
  });
});

describe('progress and receipts', () => {
  it('streams progress, stores a receipt once and acknowledges resends', async () => {
    const { envelope, request } = signDeploy(
      { app: 'api', version: 'v20', target: { hosts: ['db-1'] } },
      [alice],
    );
    const delivered = updates('delivered', 1);
    expectOk(await submit(envelope));
    await delivered;
    const db = agents.get('db-1')!;
    const running = updates('running', 1);
    expectOk(
      await call(db.socket, 'deploy:progress', {
        requestId: request.id,
        app: 'api',
        state: 'running',
        lines: [{ stream: 'stdout', text: 'hello', at: Date.now() }],
      }),
    );
    await running;
    const receipt = signReceipt(hostKeys['db-1'], 'db-1', envelope, {
      status: 'failed',
      exitCode: 3,
      reason: 'EXIT_NONZERO',
    });
    const failed = updates('failed', 1);
    expect(expectOk(await call(db.socket, 'deploy:receipt', receipt))).toEqual({ stored: true });
    await failed;
    expect(expectOk(await call(db.socket, 'deploy:receipt', receipt))).toEqual({ stored: true });
    const view = expectOk(
      await call<DeploymentView>(op, 'deploy:watch', { requestId: request.id }),
    );
    expect(view.hosts[0]).toMatchObject({
      state: 'failed',
      exitCode: 3,
      reason: 'EXIT_NONZERO',
      receipt,
    });
    expect(view.hosts[0]?.output?.map((l) => l.text)).toEqual(['hello']);
  });

  it('refuses receipts signed by another key or for a request that did not target the host', async () => {
    const { envelope } = signDeploy({ app: 'api', version: 'v21', target: { hosts: ['web-1'] } }, [
      alice,
    ]);
    const delivered = updates('delivered', 1);
    expectOk(await submit(envelope));
    await delivered;
    const web1 = agents.get('web-1')!;
    const byOther = await call(
      web1.socket,
      'deploy:receipt',
      signReceipt(hostKeys['db-1'], 'web-1', envelope),
    );
    expect(byOther.ok || byOther.error.code).toBe('UNKNOWN_SIGNER');
    const db = agents.get('db-1')!;
    const notTargeted = await call(
      db.socket,
      'deploy:receipt',
      signReceipt(hostKeys['db-1'], 'db-1', envelope),
    );
    expect(notTargeted.ok || notTargeted.error.code).toBe('FORBIDDEN');
    const unknown = signDeploy({ app: 'api', version: 'v22', target: { hosts: ['web-1'] } }, [
      alice,
    ]).envelope;
    const missing = await call(
      web1.socket,
      'deploy:receipt',
      signReceipt(hostKeys['web-1'], 'web-1', unknown),
    );
    expect(missing.ok || missing.error.code).toBe('NOT_FOUND');
  });
});
