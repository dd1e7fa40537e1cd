import type { TrustBundle } from '@serfbort/core';
import { OPERATOR_NAMESPACE } from '@serfbort/core';
import { key, signKeyring, signRoot } from '@serfbort/testkit';
import type { OperatorClient, TestAgent } from '@serfbort/testkit/hub';
import {
  call,
  connectAgent,
  connectOperator,
  connectSocket,
  expectOk,
  nextEvent,
} from '@serfbort/testkit/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

const DAY = 24 * 60 * 60 * 1000;
const rootKey = key(1);
const rootKey2 = key(3);
const alice = key(2);
const bob = key(4);
let hub: TestHub;
let anon: OperatorClient;
let agent: TestAgent;
const updates: TrustBundle[] = [];

const publish = async (kind: 'root' | 'keyring', envelope: unknown) => {
  const ack = await call<{ version: number }>(anon, 'trust:publish', { kind, envelope });
  return ack.ok ? `v${ack.data.version}` : ack.error.code;
};

beforeAll(async () => {
  hub = await startTestHub({ authTimeoutMs: 60_000 });
  anon = await connectSocket<OperatorClient>(hub.url, OPERATOR_NAMESPACE);
  agent = await connectAgent(hub.url, { key: key(300), name: 'watcher' });
  agent.socket.on('trust:update', (t) => updates.push(t));
});
afterAll(async () => {
  anon?.disconnect();
  agent?.socket.disconnect();
  await hub?.dispose();
});

describe('trust documents', () => {
  it('needs a root before a keyring', async () => {
    const keyring = signKeyring({ operators: [{ name: 'alice', key: alice }] }, [rootKey]);
    expect(await publish('keyring', keyring.envelope)).toBe('TRUST_NO_ROOT');
  });

  it('accepts a self-signed first root and a keyring, and pushes each to agents', async () => {
    const pushed = nextEvent<TrustBundle>(agent.socket, 'trust:update');
    expect(await publish('root', signRoot({ keys: [rootKey] }, [rootKey]).envelope)).toBe('v1');
    await pushed;
    const keyring = signKeyring(
      {
        version: 2,
        operators: [
          { name: 'alice', key: alice },
          { name: 'bob', key: bob },
        ],
      },
      [rootKey],
    );
    const pushed2 = nextEvent<TrustBundle>(agent.socket, 'trust:update');
    expect(await publish('keyring', keyring.envelope)).toBe('v2');
    expect((await pushed2).keyring).toEqual(keyring.envelope);
    // the same document again is a harmless retry
    expect(await publish('keyring', keyring.envelope)).toBe('v2');
  });

  it('refuses a badly signed, older or expired keyring and keeps the current one', async () => {
    const before = expectOk(await call<TrustBundle>(anon, 'trust:get'));
    const count = updates.length;
    expect(
      await publish('keyring', signKeyring({ version: 3, operators: [] }, [key(77)]).envelope),
    ).toBe('TRUST_BAD_SIGNATURE');
    expect(
      await publish('keyring', signKeyring({ version: 1, operators: [] }, [rootKey]).envelope),
    ).toBe('TRUST_VERSION_NOT_NEWER');
    expect(
      await publish(
        'keyring',
        signKeyring(
          {
            version: 3,
            operators: [],
            issuedAt: Date.now() - 2 * DAY,
            expiresAt: Date.now() - DAY,
          },
          [rootKey],
        ).envelope,
      ),
    ).toBe('TRUST_DOC_EXPIRED');
    expect(await publish('keyring', { payloadType: 'nope', payload: '', signatures: [] })).toBe(
      'TRUST_MALFORMED',
    );
    expect(
      await publish('root', signRoot({ version: 2, keys: [rootKey2] }, [rootKey2]).envelope),
    ).toBe('TRUST_OLD_THRESHOLD');
    expect(
      await publish('root', signRoot({ version: 1, keys: [rootKey2] }, [rootKey2]).envelope),
    ).toBe('TRUST_VERSION_NOT_NEWER');
    expect(expectOk(await call<TrustBundle>(anon, 'trust:get'))).toEqual(before);
    expect(updates.length).toBe(count);
  });

  it('rotates the root when both the old and the new keys sign', async () => {
    expect(
      await publish(
        'root',
        signRoot({ version: 2, keys: [rootKey2] }, [rootKey, rootKey2]).envelope,
      ),
    ).toBe('v2');
    const bundle = expectOk(await call<TrustBundle>(anon, 'trust:get'));
    expect(bundle.roots).toHaveLength(2);
    // the held keyring was signed by the old root only: it no longer counts
    expect(bundle.keyring).toBeNull();
    expect(
      await publish(
        'keyring',
        signKeyring({ version: 3, operators: [{ name: 'alice', key: alice }] }, [rootKey2])
          .envelope,
      ),
    ).toBe('v3');
  });

  it('logs a revoked operator out and refuses its next hello', async () => {
    const keyring4 = signKeyring(
      {
        version: 4,
        operators: [
          { name: 'alice', key: alice },
          { name: 'bob', key: bob },
        ],
      },
      [rootKey2],
    );
    expect(await publish('keyring', keyring4.envelope)).toBe('v4');
    const bobSession = await connectOperator(hub.url, { key: bob });
    const dropped = nextEvent(bobSession, 'disconnect');
    expect(
      await publish(
        'keyring',
        signKeyring({ version: 5, operators: [{ name: 'alice', key: alice }] }, [rootKey2])
          .envelope,
      ),
    ).toBe('v5');
    await dropped;
    expect(
      await connectOperator(hub.url, { key: bob }).catch((e: { code: string }) => e.code),
    ).toBe('FORBIDDEN');
    const aliceSession = await connectOperator(hub.url, { key: alice });
    aliceSession.disconnect();
  });
});
