import { key, signKeyring, signRoot, standardTrust } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { verifyTrustBundle } from './verify-trust';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();

describe('verifyTrustBundle', () => {
  it('accepts a root and a keyring signed by it', () => {
    const t = standardTrust(now);
    const view = verifyTrustBundle(
      { roots: [t.root.envelope], keyring: t.keyring.envelope },
      null,
      now,
    );
    expect(view.status).toBe('ok');
    expect(view.keyring?.keyring.operators[0]?.name).toBe('alice');
    expect(view.pinnedDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a root other than the pinned one', () => {
    const t = standardTrust(now);
    const view = verifyTrustBundle(
      { roots: [t.root.envelope], keyring: t.keyring.envelope },
      'a'.repeat(64),
      now,
    );
    expect(view).toMatchObject({ status: 'invalid', error: { code: 'TRUST_PIN_MISMATCH' } });
  });

  it('refuses a keyring not signed by the root', () => {
    const t = standardTrust(now);
    const forged = signKeyring({ operators: [{ name: 'mallory', key: key(9) }] }, [key(8)], now);
    const view = verifyTrustBundle(
      { roots: [t.root.envelope], keyring: forged.envelope },
      null,
      now,
    );
    expect(view).toMatchObject({ status: 'invalid', error: { code: 'TRUST_BAD_SIGNATURE' } });
  });

  it('reports expired trust loudly and warns a week before', () => {
    const rootKey = key(1);
    const root = signRoot({ keys: [rootKey] }, [rootKey], now);
    const expired = signKeyring(
      { operators: [{ name: 'alice', key: key(2) }], expiresAt: now - 1000, issuedAt: now - DAY },
      [rootKey],
      now,
    );
    expect(
      verifyTrustBundle({ roots: [root.envelope], keyring: expired.envelope }, null, now).status,
    ).toBe('expired');
    const soon = signKeyring(
      { operators: [{ name: 'alice', key: key(2) }], expiresAt: now + 3 * DAY },
      [rootKey],
      now,
    );
    expect(
      verifyTrustBundle({ roots: [root.envelope], keyring: soon.envelope }, null, now).status,
    ).toBe('expiring');
  });

  it('follows a root rotation signed by both the old and the new keys', () => {
    const [k1, k2] = [key(1), key(3)];
    const v1 = signRoot({ keys: [k1] }, [k1], now);
    const v2 = signRoot({ version: 2, keys: [k2] }, [k1, k2], now);
    const keyring = signKeyring({ operators: [{ name: 'alice', key: key(2) }] }, [k2], now);
    const view = verifyTrustBundle(
      { roots: [v1.envelope, v2.envelope], keyring: keyring.envelope },
      null,
      now,
    );
    expect(view.status).toBe('ok');
    expect(view.root?.root.version).toBe(2);
  });

  it('says when the hub has no root yet', () => {
    expect(verifyTrustBundle({ roots: [], keyring: null }, null, now).status).toBe('no-root');
  });
});
