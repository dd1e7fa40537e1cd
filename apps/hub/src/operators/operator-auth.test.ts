import { OPERATOR_NAMESPACE } from '@serfbort/core';
import { key, signDeploy, standardTrust } from '@serfbort/testkit';
import type { OperatorClient } from '@serfbort/testkit/hub';
import {
  call,
  connectOperator,
  connectSocket,
  expectOk,
  signOperatorHello,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const trust = standardTrust();
const viewerToken = 'viewer-token-0123456789';
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ trust, viewerToken });
});
afterAll(async () => {
  await hub?.dispose();
});

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('operator hello', () => {
  it('accepts a keyring operator and names it', async () => {
    const socket = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
    );
    expect(
      expectOk(
        await call(socket, 'auth:hello', {
          envelope: signOperatorHello(trust.operatorKey, challenge),
        }),
      ),
    ).toEqual({
      role: 'operator',
      keyId: trust.operatorKey.keyId,
      name: 'alice',
    });
    socket.disconnect();
  });

  it('refuses a key outside the keyring, a wrong nonce and a replayed hello', async () => {
    expect(await code(connectOperator(hub.url, { key: key(50) }))).toBe('FORBIDDEN');
    const socket = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    const challenge = expectOk(
      await call<{ nonce: string; hubId: string }>(socket, 'auth:challenge'),
    );
    const wrong = await call(socket, 'auth:hello', {
      envelope: signOperatorHello(trust.operatorKey, { ...challenge, nonce: 'C'.repeat(32) }),
    });
    expect(wrong.ok || wrong.error.code).toBe('UNAUTHENTICATED');
    const hello = { envelope: signOperatorHello(trust.operatorKey, challenge) };
    const replay = await call(socket, 'auth:hello', hello);
    expect(replay.ok || replay.error.code).toBe('UNAUTHENTICATED');
    socket.disconnect();
  });

  it('gives a viewer token read access only', async () => {
    expect(await code(connectOperator(hub.url, { viewerToken: 'wrong-token-0123456789' }))).toBe(
      'UNAUTHENTICATED',
    );
    const viewer = await connectOperator(hub.url, { viewerToken });
    expect(expectOk(await call(viewer, 'hosts:list', {}))).toEqual([]);
    expect(expectOk(await call<{ ok: boolean }>(viewer, 'audit:verify')).ok).toBe(true);
    const { envelope } = signDeploy({ app: 'shop', version: 'v1', target: { hosts: ['a'] } }, [
      trust.operatorKey,
    ]);
    const submit = await call(viewer, 'deploy:submit', envelope);
    expect(submit.ok || submit.error.code).toBe('FORBIDDEN');
    const check = await call(viewer, 'check:run', { app: 'shop' });
    expect(check.ok || check.error.code).toBe('FORBIDDEN');
    viewer.disconnect();
  });

  it('answers reads before the hello with UNAUTHENTICATED, except trust documents', async () => {
    const socket = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
    const list = await call(socket, 'hosts:list', {});
    expect(list.ok || list.error.code).toBe('UNAUTHENTICATED');
    expect(expectOk(await call<{ roots: unknown[] }>(socket, 'trust:get')).roots).toHaveLength(1);
    socket.disconnect();
  });
});
