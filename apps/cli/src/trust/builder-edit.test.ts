import type { BuilderEntry, OperatorEntry } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { addBuilder, buildersForApp, removeBuilder, requireAttestation } from './builder-edit.js';
import { emptyKeyring, setPolicy } from './keyring-edit.js';

const publicKey = `${'A'.repeat(43)}=`;
const builder = (name: string, keyId: string, apps = ['*']): BuilderEntry => ({
  name,
  keyId,
  publicKey,
  apps,
});
const alice: OperatorEntry = {
  name: 'alice',
  keyId: 'a'.repeat(32),
  publicKey,
  apps: ['*'],
  selectors: ['*'],
};
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

describe('builder edits', () => {
  it("refuses an operator's key as a builder: one key would both build and deploy", () => {
    const doc = { ...emptyKeyring(), operators: [alice] };
    expect(() => addBuilder(doc, builder('ci', alice.keyId), false)).toThrow(
      expect.objectContaining({ code: 'OPERATOR_EXISTS' }),
    );
  });

  it('refuses a clash by name or key unless replacing', () => {
    const doc = addBuilder(emptyKeyring(), builder('ci', B), false);
    expect(() => addBuilder(doc, builder('ci', C), false)).toThrow(
      expect.objectContaining({ code: 'OPERATOR_EXISTS' }),
    );
    expect(addBuilder(doc, builder('ci', C), true).builders).toEqual([builder('ci', C)]);
  });

  it('removes by name or key id prefix, and drops an empty list (old agents read it alike)', () => {
    const doc = addBuilder(emptyKeyring(), builder('ci', B), false);
    expect(removeBuilder(doc, 'bbbbbbbb')).not.toHaveProperty('builders');
    expect(() => removeBuilder(doc, 'nobody')).toThrow(
      expect.objectContaining({ code: 'OPERATOR_NOT_FOUND' }),
    );
  });

  it('lists the builders that may attest an app', () => {
    const doc = addBuilder(
      addBuilder(emptyKeyring(), builder('web-ci', B, ['web']), false),
      builder('any', C),
      false,
    );
    expect(buildersForApp(doc, 'web').map((b) => b.name)).toEqual(['web-ci', 'any']);
    expect(buildersForApp(doc, 'api').map((b) => b.name)).toEqual(['any']);
  });
});

describe('attestation requirements', () => {
  it('keeps the threshold when required, and the requirement when the threshold changes', () => {
    const two = setPolicy(emptyKeyring(), 'web', 2);
    const required = requireAttestation(two, 'web', true);
    expect(required.policies.web).toEqual({ threshold: 2, requireAttestation: true });
    expect(setPolicy(required, 'web', 1).policies.web).toEqual({
      threshold: 1,
      requireAttestation: true,
    });
  });

  it('lifting the requirement of a default policy removes it', () => {
    const required = requireAttestation(emptyKeyring(), 'web', true);
    expect(requireAttestation(required, 'web', false).policies).toEqual({});
  });
});
