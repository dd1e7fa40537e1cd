import type { DeploymentView, Envelope, HostProgress, KeyPair, Speaks } from '@serfbort/core';
import {
  AGENT_NAMESPACE,
  fromBase64,
  OPERATOR_NAMESPACE,
  payloadTypeOf,
  SPEAKS_THIS_BUILD,
  signBytes,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentClient, OperatorClient } from '@serfbort/testkit/hub';
import {
  call,
  connectOperator,
  connectSocket,
  expectOk,
  nextEvent,
  signApproval,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

/*
 * Payload versions at the hub: both hello versions are accepted (strictly), and a
 * request is relayed only to agents that said they read its version.
 */
const trust = standardTrust();
const alice = trust.operatorKey;
/** a newer agent that reads only a deploy version this hub never signs */
const V2_ONLY: Speaks = { ...SPEAKS_THIS_BUILD, deploy: [2] };

let hub: TestHub;
let op: OperatorClient;
const sockets: AgentClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ trust });
  op = await connectOperator(hub.url, { key: alice });
});
afterAll(async () => {
  op?.disconnect();
  for (const s of sockets) s.disconnect();
  await hub?.dispose();
});

interface V2Agent {
  socket: AgentClient;
  requests: Envelope[];
  status: string;
}

/** An agent that says a v2 hello (with `extra` fields mixed in when a test wants them). */
async function helloV2(
  name: string,
  k: KeyPair,
  speaks: Speaks,
  extra: Record<string, unknown> = {},
): Promise<V2Agent> {
  const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
  sockets.push(socket);
  const requests: Envelope[] = [];
  socket.on('deploy:request', (envelope, ack) => {
    requests.push(envelope);
    ack({ received: true });
  });
  const c = expectOk(await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'));
  const hello = {
    type: 'agent-auth',
    nonce: c.nonce,
    hubId: c.hubId,
    host: name,
    publicKey: toBase64(k.publicKey),
    labels: { role: 'web' },
    apps: ['shop'],
    agentVersion: 'test-agent/2',
    at: Date.now(),
    speaks,
    ...extra,
  };
  const envelope = signPayload(payloadTypeOf('agentAuth', 2), hello, [nodeSigner(k)]);
  const ack = await call<{ status: string }>(socket, 'auth:hello', envelope);
  return { socket, requests, status: ack.ok ? ack.data.status : ack.error.code };
}

async function approved(name: string, k: KeyPair, speaks: Speaks): Promise<V2Agent> {
  const agent = await helloV2(name, k, speaks);
  if (agent.status === 'pending') {
    const done = nextEvent(agent.socket, 'auth:approved');
    expectOk(await call(op, 'agents:approve', signApproval(alice, k, name)));
    await done;
  }
  return agent;
}

/** Resolves with the host's row once `deploy:update` reports it in `state`. */
function hostUpdate(host: string, state: string): Promise<HostProgress> {
  return new Promise((resolve) => {
    const on = (u: { host: HostProgress }) => {
      if (u.host.host !== host || u.host.state !== state) return;
      op.off('deploy:update', on);
      resolve(u.host);
    };
    op.on('deploy:update', on);
  });
}

describe('the hello announces payload versions', () => {
  it('accepts a v2 agent hello and refuses one with a field v2 does not have', async () => {
    expect((await helloV2('hello-1', key(500), SPEAKS_THIS_BUILD)).status).toBe('pending');
    const extra = await helloV2('hello-2', key(501), SPEAKS_THIS_BUILD, { role: 'admin' });
    expect(extra.status).toBe('BAD_REQUEST');
  });

  it('refuses a hello of a version this hub does not read', async () => {
    const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE);
    sockets.push(socket);
    const c = expectOk(await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'));
    const v2 = signPayload(payloadTypeOf('agentAuth', 2), { nonce: c.nonce }, [
      nodeSigner(key(502)),
    ]);
    const v99 = { ...v2, payloadType: payloadTypeOf('agentAuth', 99) };
    const ack = await call(socket, 'auth:hello', v99);
    expect(ack.ok || ack.error.code).toBe('BAD_REQUEST');
    expect(ack.ok || ack.error.message).toMatch(/UNSUPPORTED_VERSION|does not read/);
  });

  it('accepts a v2 operator hello', async () => {
    const socket = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    const c = expectOk(await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'));
    const hello = {
      type: 'operator-auth',
      nonce: c.nonce,
      hubId: c.hubId,
      keyId: alice.keyId,
      at: Date.now(),
      speaks: SPEAKS_THIS_BUILD,
    };
    const envelope = signPayload(payloadTypeOf('operatorAuth', 2), hello, [nodeSigner(alice)]);
    const ack = await call<{ role: string }>(socket, 'auth:hello', { envelope });
    socket.disconnect();
    expect(expectOk(ack).role).toBe('operator');
  });
});

describe('when an agent does not speak the request version', () => {
  it('is not sent it, and its row says UNSUPPORTED_VERSION; an agent that speaks it gets it', async () => {
    const newer = await approved('newer-1', key(510), V2_ONLY);
    const current = await approved('current-1', key(511), SPEAKS_THIS_BUILD);
    const { envelope } = signDeploy(
      { app: 'shop', version: 'v2', target: { hosts: ['newer-1', 'current-1'] } },
      [alice],
    );
    const refused = hostUpdate('newer-1', 'expired');
    const delivered = hostUpdate('current-1', 'delivered');
    expectOk(await call<DeploymentView>(op, 'deploy:submit', envelope));
    expect(await refused).toMatchObject({ state: 'expired', reason: 'UNSUPPORTED_VERSION' });
    await delivered;
    expect(current.requests).toEqual([envelope]);
    expect(newer.requests).toEqual([]);
  });

  it('follows the same rule when the agent reconnects to pending requests', async () => {
    const k = key(512);
    const first = await approved('newer-2', k, V2_ONLY);
    first.socket.disconnect();
    const { envelope, request } = signDeploy(
      { app: 'shop', version: 'v3', target: { hosts: ['newer-2'] } },
      [alice],
    );
    const view = expectOk(await call<DeploymentView>(op, 'deploy:submit', envelope));
    expect(view.hosts).toMatchObject([{ host: 'newer-2', state: 'pending' }]);
    const refused = hostUpdate('newer-2', 'expired');
    const again = await helloV2('newer-2', k, V2_ONLY);
    expect(again.status).toBe('approved');
    expect(await refused).toMatchObject({ reason: 'UNSUPPORTED_VERSION' });
    const after = expectOk(
      await call<DeploymentView>(op, 'deploy:watch', { requestId: request.id }),
    );
    expect(after.hosts).toMatchObject([{ host: 'newer-2', reason: 'UNSUPPORTED_VERSION' }]);
    expect(again.requests).toEqual([]);
  });

  it('refuses at submit a deploy under a version the hub itself does not read', async () => {
    const { envelope } = signDeploy(
      { app: 'shop', version: 'v4', target: { hosts: ['current-1'] } },
      [alice],
    );
    const v99 = signBytes(payloadTypeOf('deploy', 99), fromBase64(envelope.payload), [
      nodeSigner(alice),
    ]);
    const ack = await call(op, 'deploy:submit', v99);
    expect(ack.ok || ack.error.code).toBe('UNSUPPORTED_VERSION');
  });
});
