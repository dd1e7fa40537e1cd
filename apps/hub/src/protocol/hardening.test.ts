import { Writable } from 'node:stream';
import { AGENT_NAMESPACE, OPERATOR_NAMESPACE } from '@serfbort/core';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import type { AgentClient, OperatorClient } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  connectSocket,
  expectOk,
  newEnrollmentToken,
  nextEvent,
  signGrant,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
const viewerToken = 'viewer-token-abcdefghijkl';
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});
let hub: TestHub;
let op: OperatorClient;

beforeAll(async () => {
  hub = await startTestHub({
    trust,
    viewerToken,
    maxMessageBytes: 128 * 1024,
    rateLimit: { perSecond: 20, burst: 40 },
    logger: createLogger('debug', {}, sink),
  });
  op = await connectOperator(hub.url, { key: trust.operatorKey });
});
afterAll(async () => {
  op?.disconnect();
  await hub?.dispose();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${hub.url}${path}`, { headers });

describe('bad input on the socket', () => {
  it('answers malformed payloads with BAD_REQUEST and keeps the connection', async () => {
    for (const bad of [{ target: 5 }, 'x', { target: { selector: 'a' }, extra: 1 }]) {
      const ack = await call(op, 'hosts:list', bad);
      expect(ack.ok || ack.error.code).toBe('BAD_REQUEST');
    }
    const watch = await call(op, 'deploy:watch', { requestId: '../../etc' });
    expect(watch.ok || watch.error.code).toBe('BAD_REQUEST');
    expect(expectOk(await call(op, 'hosts:list', {}))).toEqual([]);
  });

  it('survives events without an acknowledgement, and unknown events', async () => {
    (op as unknown as { emit(e: string, ...a: unknown[]): void }).emit('hosts:list', {});
    (op as unknown as { emit(e: string, ...a: unknown[]): void }).emit('deploy:submit', 'junk');
    (op as unknown as { emit(e: string, ...a: unknown[]): void }).emit('no-such-event', 1, 2);
    const unknown = await call(op, 'no-such-event', {});
    expect(unknown.ok || unknown.error.code).toBe('BAD_REQUEST');
    expect(expectOk(await call(op, 'hosts:list', {}))).toEqual([]);
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/serfbort_unknown_events_total\{namespace="operator"\} [2-9]/);
  });

  it('refuses an oversized envelope with OVERSIZED', async () => {
    const { envelope } = signDeploy({ app: 'shop', version: 'v1', target: { hosts: ['a'] } }, [
      trust.operatorKey,
    ]);
    const ack = await call(op, 'deploy:submit', { ...envelope, payload: 'A'.repeat(100_000) });
    expect(ack.ok || ack.error.code).toBe('OVERSIZED');
  });

  it('drops a connection whose message exceeds the size bound, and stays up', async () => {
    const big = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    const gone = nextEvent(big, 'disconnect');
    big.emit('trust:get', 'x'.repeat(200 * 1024) as never);
    await gone;
    expect((await get('/healthz')).status).toBe(200);
    expect(expectOk(await call(op, 'hosts:list', {}))).toEqual([]);
  });

  it('rate-limits a flooding socket with RATE_LIMITED', async () => {
    const flood = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    const acks = await Promise.all(Array.from({ length: 80 }, () => call(flood, 'trust:get')));
    const codes = acks.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes).toContain('RATE_LIMITED');
    expect(codes).toContain('ok');
    flood.disconnect();
    expect(expectOk(await call(op, 'hosts:list', {}))).toEqual([]);
  });

  it('refuses a WebSocket from an origin that is not the dashboard', async () => {
    const refused = await connectSocket(hub.url, AGENT_NAMESPACE, {
      extraHeaders: { origin: 'https://evil.example' },
    }).then(
      (s) => {
        s.disconnect();
        return 'connected';
      },
      () => 'refused',
    );
    expect(refused).toBe('refused');
    const allowed = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE, {
      extraHeaders: { origin: 'http://localhost:3000' },
    });
    allowed.disconnect();
  });
});

describe('HTTP', () => {
  it('serves health, readiness and metrics', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/readyz')).json()).toMatchObject({ ok: true, hubId: hub.hubId });
    const metrics = await (await get('/metrics')).text();
    for (const name of [
      'serfbort_connected_agents',
      'serfbort_deployments_total',
      'serfbort_refused_total',
      'serfbort_relay_latency_seconds',
    ])
      expect(metrics).toContain(name);
    expect(metrics).toMatch(/serfbort_refused_total\{code="BAD_REQUEST"/);
  });

  it('serves the read-only API to the viewer token only, with CORS for the dashboard', async () => {
    expect((await get('/api/hosts')).status).toBe(401);
    expect((await get('/api/hosts', { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await get('/api/hosts', {
      authorization: `Bearer ${viewerToken}`,
      origin: 'http://localhost:3000',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(await ok.json()).toEqual([]);
    const evil = await get('/api/deployments', {
      authorization: `Bearer ${viewerToken}`,
      origin: 'https://evil.example',
    });
    expect(evil.status).toBe(200);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await get('/api/deployments/nothing-here', { authorization: `Bearer ${viewerToken}` }))
        .status,
    ).toBe(404);
  });
});

describe('logs', () => {
  it('hold no enrollment token or viewer token', async () => {
    const token = newEnrollmentToken();
    expectOk(await call(op, 'agents:grant', signGrant(trust.operatorKey, token)));
    const agent = await connectAgent(hub.url, {
      key: key(500),
      name: 'logged-1',
      enrollmentToken: token,
    });
    expect(agent.status).toBe('approved');
    agent.socket.disconnect();
    const text = logLines.join('');
    expect(text).toContain('agent hello verified');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(token);
    expect(text).not.toContain(viewerToken);
  });
});
