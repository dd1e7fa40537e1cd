import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_NAMESPACE } from '@serfbort/core';
import type { AgentClient } from '@serfbort/testkit/hub';
import { call, connectSocket, expectOk } from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const dir = mkdtempSync(join(tmpdir(), 'serfbort-tls-'));
let hub: TestHub;

beforeAll(async () => {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  hub = await startTestHub({ tls: { cert, key } });
});
afterAll(async () => {
  await hub?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('with a TLS certificate', () => {
  it('serves https and wss', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      request(`${hub.url}/healthz`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    const socket = await connectSocket<AgentClient>(hub.url, AGENT_NAMESPACE, {
      rejectUnauthorized: false,
    });
    expect(expectOk(await call<{ hubId: string }>(socket, 'auth:challenge')).hubId).toBe(hub.hubId);
    socket.disconnect();
  });
});
