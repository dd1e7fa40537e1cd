import type { OperatorEntry } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import {
  addOperator,
  emptyKeyring,
  nextVersion,
  operatorsForApp,
  revokeOperator,
  setPolicy,
} from './keyring-edit.js';

const op = (name: string, keyId: string, apps = ['*']): OperatorEntry => ({
  name,
  keyId,
  publicKey: `${'A'.repeat(43)}=`,
  apps,
  selectors: ['*'],
});
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('keyring edits', () => {
  it('nextVersion bumps the version and renews the lifetime', () => {
    expect(nextVersion({ ...emptyKeyring(), version: 4 }, 1000, 50)).toMatchObject({
      version: 5,
      issuedAt: 1000,
      expiresAt: 1050,
    });
  });

  it('addOperator refuses a clash by name or key unless replacing', () => {
    const doc = addOperator(emptyKeyring(), op('alice', A), false);
    expect(() => addOperator(doc, op('alice', B), false)).toThrow(
      expect.objectContaining({ code: 'OPERATOR_EXISTS' }),
    );
    expect(() => addOperator(doc, op('mallory', A), false)).toThrow(
      expect.objectContaining({ code: 'OPERATOR_EXISTS' }),
    );
    expect(addOperator(doc, op('alice', B), true).operators).toEqual([op('alice', B)]);
  });

  it('revokeOperator finds by name or key id prefix', () => {
    const doc = addOperator(
      addOperator(emptyKeyring(), op('alice', A), false),
      op('bob', B),
      false,
    );
    expect(revokeOperator(doc, 'alice').doc.operators.map((o) => o.name)).toEqual(['bob']);
    expect(revokeOperator(doc, B.slice(0, 8)).removed.map((o) => o.name)).toEqual(['bob']);
    expect(() => revokeOperator(doc, 'carol')).toThrow(
      expect.objectContaining({ code: 'OPERATOR_NOT_FOUND' }),
    );
  });

  it('setPolicy with threshold 1 removes the policy (1 is the default)', () => {
    const two = setPolicy(emptyKeyring(), 'creds', 2);
    expect(two.policies).toEqual({ creds: { threshold: 2 } });
    expect(setPolicy(two, 'creds', 1).policies).toEqual({});
  });

  it('operatorsForApp counts wildcard and named grants', () => {
    const doc = addOperator(
      addOperator(emptyKeyring(), op('alice', A), false),
      op('bob', B, ['shop']),
      false,
    );
    expect(operatorsForApp(doc, 'creds').map((o) => o.name)).toEqual(['alice']);
    expect(operatorsForApp(doc, 'shop').map((o) => o.name)).toEqual(['alice', 'bob']);
  });
});
