import { rmSync } from 'node:fs';
import type { Ack, PendingAgent } from '@serfbort/core';
import { AGENT_NAMESPACE } from '@serfbort/core';
import { key, standardTrust } from '@serfbort/testkit';
import type { AgentProcess } from '@serfbort/testkit/agent';
import {
  createTestHost,
  OperatorClient,
  removeTestHosts,
  spawnAgent,
} from '@serfbort/testkit/agent';
import type { AgentClient, AgentIdentity, HubProcess } from '@serfbort/testkit/hub';
import {
  call,
  connectSocket,
  EMBEDDED_HUB_ENV,
  freshHubDataDir,
  signAgentHello,
  spawnHub,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const trust = standardTrust();
const FLOOD = 150;
const FLOOD_CONCURRENCY = 10;
/** the hub's defaults (config/admission.ts): what one address may cost */
const UNKNOWN_HELLO_BURST = 20;
const PENDING_PER_ADDRESS = 50;
const CONNECTION_BURST = 200;

type HelloAck = Ack<{ status: 'approved' | 'pending' }>;

/** A raw agent socket bound to a loopback source address: the hub sees it as another host. */
function connectFrom(url: string, localAddress: string): Promise<AgentClient> {
  return connectSocket<AgentClient>(url, AGENT_NAMESPACE, { localAddress });
}

/** challenge → hello; the socket stays open so the caller decides when it leaves. */
async function hello(socket: AgentClient, id: AgentIdentity): Promise<HelloAck> {
  const challenge = await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge');
  if (!challenge.ok) throw new Error(`challenge refused: ${challenge.error.code}`);
  return (await call(socket, 'auth:hello', signAgentHello(id, challenge.data))) as HelloAck;
}

async function helloFrom(url: string, local: string, id: AgentIdentity): Promise<HelloAck> {
  const socket = await connectFrom(url, local);
  try {
    return await hello(socket, id);
  } finally {
    socket.disconnect();
  }
}

const outcome = (ack: HelloAck) => (ack.ok ? ack.data.status : ack.error.code);

/** challenge → hello with a fresh key → disconnect, from one address, a bounded number of times. */
async function flood(url: string, local: string, count: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const id = { key: key(10_000 + i), name: `flood-${i}` };
      const result = await helloFrom(url, local, id).then(outcome, () => 'connect-refused');
      seen.set(result, (seen.get(result) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: FLOOD_CONCURRENCY }, worker));
  return seen;
}

async function metric(url: string, line: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.slice(line.length).trim()) : 0;
}

describe('a pending-approval flood from one address', () => {
  let hub: HubProcess;
  let dataDir: string;
  let op: OperatorClient;
  const steady = { key: key(900), name: 'steady' };
  const genuine = { key: key(901), name: 'genuine' };

  const start = async (port = '0') => {
    hub = await spawnHub({
      ...EMBEDDED_HUB_ENV,
      SERFBORT_HUB_DATA: dataDir,
      SERFBORT_HUB_PORT: port,
    });
  };

  beforeAll(async () => {
    dataDir = await freshHubDataDir();
    await start();
    op = await OperatorClient.connect(hub.url, trust.operatorKey);
    await op.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
    await op.login();
    await op.grant('steady-enrollment-token-0001', 'steady');
    // an agent approved before the flood, from its own address
    const enrolled = await helloFrom(hub.url, '127.0.0.3', {
      ...steady,
      enrollmentToken: 'steady-enrollment-token-0001',
    });
    expect(outcome(enrolled)).toBe('approved');
  });

  afterAll(async () => {
    op?.socket.disconnect();
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is limited and counted, while a genuine agent from elsewhere is pending within 5 s and an approved one is admitted', async () => {
    const flooding = flood(hub.url, '127.0.0.1', FLOOD);
    const t0 = Date.now();
    expect(outcome(await helloFrom(hub.url, '127.0.0.2', genuine))).toBe('pending');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(outcome(await helloFrom(hub.url, '127.0.0.3', steady))).toBe('approved');
    const floodStarted = Date.now();
    const seen = await flooding;
    const seconds = (Date.now() - floodStarted) / 1000 + 1;
    // the bucket: a burst, then about one a second
    expect(seen.get('pending') ?? 0).toBeLessThanOrEqual(UNKNOWN_HELLO_BURST + Math.ceil(seconds));
    expect(seen.get('RATE_LIMITED') ?? 0).toBeGreaterThan(FLOOD / 2);
    expect(
      await metric(hub.url, 'serfbort_hub_admission_refused_total{reason="unknown-hellos"}'),
    ).toBe(seen.get('RATE_LIMITED'));
    // the genuine agent is still in the list an operator approves from
    const answer = (await op.socket.timeout(5_000).emitWithAck('agents:pending')) as Ack<
      PendingAgent[]
    >;
    if (!answer.ok) throw new Error(answer.error.code);
    const pending = answer.data;
    expect(pending.map((p) => p.name)).toContain('genuine');
    expect(pending.length).toBeLessThanOrEqual(PENDING_PER_ADDRESS + 1);
  });

  it('never blocks token enrollment from the flooding address', async () => {
    await op.grant('late-enrollment-token-0001', 'late');
    const late = { key: key(902), name: 'late', enrollmentToken: 'late-enrollment-token-0001' };
    expect(outcome(await helloFrom(hub.url, '127.0.0.1', late))).toBe('approved');
  });

  it('closes a pending socket at the login timeout (the agent reconnects on its own)', async () => {
    const socket = await connectFrom(hub.url, '127.0.0.4');
    expect(outcome(await hello(socket, { key: key(903), name: 'waiting' }))).toBe('pending');
    const closed = await new Promise<string>((resolve, reject) => {
      // the hub's default login timeout is 10 s
      const timer = setTimeout(() => reject(new Error('the pending socket stayed open')), 15_000);
      socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
    expect(closed).toBe('io server disconnect');
  });

  it('refuses new connections beyond the per-address bucket, counted in /metrics', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: CONNECTION_BURST + 50 }, () => connectFrom(hub.url, '127.0.0.5')),
    );
    const refused = attempts.filter(
      (a) =>
        a.status === 'rejected' &&
        (a.reason as { data?: { code?: string } }).data?.code === 'RATE_LIMITED',
    );
    for (const a of attempts) if (a.status === 'fulfilled') a.value.disconnect();
    expect(refused.length).toBeGreaterThan(0);
    expect(
      await metric(hub.url, 'serfbort_hub_admission_refused_total{reason="connections"}'),
    ).toBeGreaterThanOrEqual(refused.length);
    // another address is not affected
    expect(outcome(await helloFrom(hub.url, '127.0.0.3', steady))).toBe('approved');
  });

  it('keeps working after a hub restart', async () => {
    const port = new URL(hub.url).port;
    op.socket.disconnect();
    await hub.stop();
    await start(port);
    expect(outcome(await helloFrom(hub.url, '127.0.0.3', steady))).toBe('approved');
    const t0 = Date.now();
    expect(outcome(await helloFrom(hub.url, '127.0.0.2', genuine))).toBe('pending');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('the pending-approval list under its caps', () => {
  let hub: HubProcess;
  let dataDir: string;
  let op: OperatorClient;
  const genuine = { key: key(950), name: 'genuine' };
  const env = () => ({
    ...EMBEDDED_HUB_ENV,
    SERFBORT_HUB_DATA: dataDir,
    // the hello bucket out of the way: this is about the list itself
    SERFBORT_HUB_UNKNOWN_HELLO_BURST: '1000',
    SERFBORT_HUB_PENDING_PER_ADDRESS: '5',
    SERFBORT_HUB_PENDING_TOTAL: '8',
    SERFBORT_HUB_PENDING_TTL_MS: '8000',
  });

  const login = async () => {
    op = await OperatorClient.connect(hub.url, trust.operatorKey);
    await op.login();
  };
  const pendingNames = async () => {
    const answer = (await op.socket.timeout(5_000).emitWithAck('agents:pending')) as Ack<
      PendingAgent[]
    >;
    if (!answer.ok) throw new Error(answer.error.code);
    return answer.data.map((p) => p.name);
  };
  const helloAll = async (local: string, first: number, count: number) => {
    for (let i = first; i < first + count; i++)
      expect(outcome(await helloFrom(hub.url, local, { key: key(i), name: `k-${i}` }))).toBe(
        'pending',
      );
  };

  beforeAll(async () => {
    dataDir = await freshHubDataDir();
    hub = await spawnHub({ ...env(), SERFBORT_HUB_PORT: '0' });
    op = await OperatorClient.connect(hub.url, trust.operatorKey);
    await op.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
    await op.login();
  });

  afterAll(async () => {
    op?.socket.disconnect();
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps at most the per-address and total caps, the least recently heard going first', async () => {
    await helloAll('127.0.0.1', 20_000, 12);
    const fromOne = await pendingNames();
    expect(fromOne).toHaveLength(5);
    // the newest five of that address stay
    expect(fromOne.sort()).toEqual(['k-20007', 'k-20008', 'k-20009', 'k-20010', 'k-20011']);
    await helloAll('127.0.0.6', 21_000, 12);
    expect(await pendingNames()).toHaveLength(8);
    expect(outcome(await helloFrom(hub.url, '127.0.0.2', genuine))).toBe('pending');
    expect(await pendingNames()).toContain('genuine');
    expect(
      await metric(hub.url, 'serfbort_hub_pending_evicted_total{cap="address"}'),
    ).toBeGreaterThan(0);
    expect(
      await metric(hub.url, 'serfbort_hub_pending_evicted_total{cap="total"}'),
    ).toBeGreaterThan(0);
  });

  it('keeps the caps across a restart and forgets keys silent past their lifetime', async () => {
    const port = new URL(hub.url).port;
    op.socket.disconnect();
    await hub.stop();
    hub = await spawnHub({ ...env(), SERFBORT_HUB_PORT: port });
    await login();
    expect((await pendingNames()).length).toBeLessThanOrEqual(8);
    expect(outcome(await helloFrom(hub.url, '127.0.0.2', genuine))).toBe('pending');
    await new Promise((r) => setTimeout(r, 8_500));
    expect(outcome(await helloFrom(hub.url, '127.0.0.7', { key: key(951), name: 'fresh' }))).toBe(
      'pending',
    );
    expect(await pendingNames()).toEqual(['fresh']);
  });
});

describe('a real agent waiting for approval', () => {
  let hub: HubProcess;
  let dataDir: string;
  let op: OperatorClient;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    dataDir = await freshHubDataDir();
    hub = await spawnHub({ ...EMBEDDED_HUB_ENV, SERFBORT_HUB_DATA: dataDir });
    op = await OperatorClient.connect(hub.url, trust.operatorKey);
    await op.publishTrust({ root: trust.root.envelope, keyring: trust.keyring.envelope });
    await op.login();
  });

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    op?.socket.disconnect();
    await hub?.stop();
    removeTestHosts();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is closed at the login timeout, reconnects, and is approved within seconds of the approval', async () => {
    const host = createTestHost({ name: 'patient', hub: hub.url, root: trust.root.envelope });
    agent = spawnAgent({ configPath: host.configPath });
    await agent.waitForEvent('agent.pending', {}, 10_000);
    await agent.waitForEvent('hub.disconnected', {}, 15_000);
    await agent.waitForLog(
      (l) =>
        l.event === 'agent.pending' &&
        agent!.logs.filter((x) => x.event === 'agent.pending').length > 1,
      10_000,
      'pending again after reconnecting',
    );
    await op.approve('patient');
    await agent.waitForEvent('agent.approved', {}, 15_000);
  });
});
