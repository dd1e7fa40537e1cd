import type {
  AgentKeyRecord,
  ApprovalV2,
  KeyPair,
  KeyringDocument,
  Labels,
  VerifiedKeyring,
} from '@serfbort/core';
import {
  currentPayloadType,
  PAYLOAD_TYPES,
  signerFor,
  signPayload,
  toBase64,
} from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { judgeCheck } from '../check/judge-check.js';
import { key, NOW, verifier } from '../testing/fixtures.js';
import { recallFleet, rosterGaps } from './recall.js';
import {
  disappeared,
  emptyRoster,
  forget,
  learn,
  noteTrust,
  rosteredFor,
  rosterHosts,
  stillVouched,
} from './roster.js';
import { parseRoster, serializeRoster } from './roster-file.js';

const alice = key(70);
const mallory = key(71); // not in the keyring
const hostKeys = { weba: key(72), webb: key(73), dba: key(74) };

const keyringDoc: KeyringDocument = {
  type: 'keyring',
  version: 3,
  issuedAt: NOW - 1000,
  expiresAt: NOW + 86_400_000,
  operators: [
    {
      name: 'alice',
      keyId: alice.keyId,
      publicKey: toBase64(alice.publicKey),
      apps: ['*'],
      selectors: ['*'],
    },
  ],
  policies: {},
};
const keyring: VerifiedKeyring = {
  keyring: keyringDoc,
  envelope: signPayload(PAYLOAD_TYPES.keyring, keyringDoc, [signerFor(alice)]),
  operatorKeys: new Map([[alice.keyId, alice.publicKey]]),
  builderKeys: new Map(),
};

function approved(
  host: string,
  hostKey: KeyPair,
  labels: Labels,
  at = NOW,
  by: KeyPair = alice,
): AgentKeyRecord {
  const payload: ApprovalV2 = {
    type: 'approval',
    host,
    agentKeyId: hostKey.keyId,
    agentPublicKey: toBase64(hostKey.publicKey),
    approvedAt: at,
    labels,
  };
  return {
    host,
    keyId: hostKey.keyId,
    publicKey: toBase64(hostKey.publicKey),
    evidence: {
      kind: 'approval',
      approval: signPayload(currentPayloadType('approval'), payload, [signerFor(by)]),
    },
  };
}

const web = { role: 'web' };
const fleet = [
  approved('weba', hostKeys.weba, web),
  approved('webb', hostKeys.webb, web),
  approved('dba', hostKeys.dba, { role: 'db' }),
];

describe('the client-side roster', () => {
  it('remembers every host whose approval verifies, with its signed labels and approver', () => {
    const l = learn(emptyRoster('hub-1'), fleet, keyring, verifier);
    expect(l.changed).toEqual(['dba', 'weba', 'webb']);
    expect(l.roster.hosts.weba).toMatchObject({
      keyId: hostKeys.weba.keyId,
      labels: web,
      kind: 'approval',
      vouchedBy: ['alice'],
      at: NOW,
    });
    expect(l.refused).toEqual([]);
  });

  it('never takes a host from an approval no keyring operator signed', () => {
    const forged = approved('webc', key(75), web, NOW, mallory);
    const l = learn(emptyRoster('hub-1'), [forged], keyring, verifier);
    expect(l.roster.hosts).toEqual({});
    expect(l.refused.map((r) => r.host)).toEqual(['webc']);
  });

  it('never takes a host from a record whose unsigned fields the hub changed', () => {
    const swapped = { ...fleet[0]!, keyId: mallory.keyId, publicKey: toBase64(mallory.publicKey) };
    const l = learn(emptyRoster('hub-1'), [swapped], keyring, verifier);
    expect(l.roster.hosts).toEqual({});
  });

  it('keeps a host the hub stops presenting, and names it as disappeared', () => {
    const first = learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster;
    const later = learn(first, fleet.slice(0, 1), keyring, verifier);
    expect(Object.keys(later.roster.hosts).sort()).toEqual(['dba', 'weba', 'webb']);
    expect(disappeared(later.roster, later.presented)).toEqual(['dba', 'webb']);
  });

  it('takes a newer approval (re-approved key or labels), never rolls back to an older one', () => {
    const first = learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster;
    const newKey = key(76);
    const reapproved = approved('weba', newKey, { role: 'web', tier: 'a' }, NOW + 10);
    const second = learn(first, [reapproved], keyring, verifier);
    expect(second.changed).toEqual(['weba']);
    expect(second.roster.hosts.weba?.keyId).toBe(newKey.keyId);
    // the hub later presents the old approval again: the roster keeps the newer one
    const rolledBack = learn(second.roster, [fleet[0]!], keyring, verifier);
    expect(rolledBack.changed).toEqual([]);
    expect(rolledBack.roster.hosts.weba?.keyId).toBe(newKey.keyId);
    expect(disappeared(rolledBack.roster, rolledBack.presented)).toContain('weba');
  });

  it('expects a host only while the current keyring lists one of its vouchers', () => {
    const r = learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster;
    expect(r.hosts.weba?.signers).toEqual([alice.keyId]);
    const revoked: VerifiedKeyring = { ...keyring, operatorKeys: new Map() };
    expect(stillVouched(r, revoked).hosts).toEqual({});
    expect(Object.keys(stillVouched(r, keyring).hosts)).toHaveLength(3);
  });

  it('forgets a host only on purpose', () => {
    const r = learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster;
    const f = forget(r, 'webb');
    expect(f.removed).toBe(true);
    expect(Object.keys(f.roster.hosts).sort()).toEqual(['dba', 'weba']);
    expect(forget(f.roster, 'webb').removed).toBe(false);
  });

  it('places hosts under a target by name, or by signed labels for a selector', () => {
    const r = learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster;
    expect(rosteredFor(r, { selector: 'role=web' })).toEqual(['weba', 'webb']);
    expect(rosteredFor(r, { hosts: ['dba', 'nope'] })).toEqual(['dba']);
    expect(rosteredFor(r, undefined)).toEqual(['dba', 'weba', 'webb']);
    expect(rosteredFor(r, { selector: '!!bad' })).toEqual([]);
  });

  it('raises the newest verified trust versions and never lowers them', () => {
    const r = noteTrust(emptyRoster('hub-1'), { root: 2, keyring: 6 });
    expect(noteTrust(r, { root: 1, keyring: 5 }).trust).toEqual({ root: 2, keyring: 6 });
    expect(noteTrust(r, { root: 2, keyring: 7 }).trust).toEqual({ root: 2, keyring: 7 });
  });

  it('round-trips through its stored form and refuses a damaged or foreign one', () => {
    const r = noteTrust(learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster, {
      root: 1,
      keyring: 3,
    });
    const text = serializeRoster(r);
    expect(parseRoster(text, 'hub-1')).toEqual({ ok: true, roster: r });
    expect(parseRoster(text, 'hub-2')).toMatchObject({ ok: false });
    expect(parseRoster('{', 'hub-1')).toMatchObject({ ok: false, detail: 'not valid JSON' });
    const bad = text.replace('"role": "db"', '"role": 7');
    expect(parseRoster(bad, 'hub-1')).toMatchObject({ ok: false });
  });
});

describe('a check judged with the roster', () => {
  const r = learn(emptyRoster('hub-1'), fleet, keyring, verifier).roster;
  const result = { checkId: 'check-0000000001', app: 'web', answers: [], unreachable: [] };

  it('names a rostered host the target covers and the hub left out as withheld', () => {
    const rows = judgeCheck({
      own: { request: { target: { selector: 'role=web' } } } as never,
      result,
      agentKeys: new Map(),
      known: rosterHosts(r),
      verifier,
    });
    expect(rows.map((x) => [x.host, x.status, x.code])).toEqual([
      ['weba', 'withheld', 'WITHHELD'],
      ['webb', 'withheld', 'WITHHELD'],
    ]);
  });

  it('names a host whose approval disappeared as such', () => {
    const rows = judgeCheck({
      own: { request: { target: { hosts: ['weba', 'webb'] } } } as never,
      result: { ...result, unreachable: ['weba'] },
      agentKeys: new Map(),
      known: rosterHosts(r),
      disappeared: ['weba', 'dba'],
      verifier,
    });
    expect(rows.map((x) => [x.host, x.status, x.code])).toEqual([
      ['weba', 'withheld', 'APPROVAL_DISAPPEARED'],
      ['webb', 'withheld', 'WITHHELD'],
    ]);
  });
});

describe('recalling the fleet, wherever the roster is stored', () => {
  const seen = { root: 1, keyring: 3 };

  it('with a pinned root: stores what verified, and nothing more when nothing changed', () => {
    const first = recallFleet(
      emptyRoster('hub-1'),
      fleet,
      { keyring, seen, pinned: true },
      verifier,
    );
    expect(Object.keys(first.store?.hosts ?? {}).sort()).toEqual(['dba', 'weba', 'webb']);
    expect(first.store?.trust).toEqual(seen);
    const again = recallFleet(first.store!, fleet, { keyring, seen, pinned: true }, verifier);
    expect(again.store).toBeUndefined();
    expect(again.memory.disappeared).toEqual([]);
  });

  it('without a pinned root: compares with what verifies now, stores nothing', () => {
    const r = recallFleet(emptyRoster('hub-1'), fleet, { keyring, seen, pinned: false }, verifier);
    expect(r.store).toBeUndefined();
    expect(r.memory.known.map((h) => h.name).sort()).toEqual(['dba', 'weba', 'webb']);
  });

  it("names the hub's gaps for a target: withheld, or approval disappeared, once each", () => {
    const held = recallFleet(emptyRoster('hub-1'), fleet, { keyring, seen, pinned: true }, verifier)
      .store!;
    const now = recallFleet(held, fleet.slice(1), { keyring, seen, pinned: true }, verifier).memory;
    expect(rosterGaps(now, { selector: 'role=web' }, new Set(['weba']))).toEqual({
      withheld: ['webb'],
      disappeared: ['weba'],
    });
    expect(rosterGaps(now, undefined, new Map([['webb', 1]]))).toEqual({
      withheld: ['dba'],
      disappeared: ['weba'],
    });
    expect(rosterGaps(now, { hosts: ['dba'] }, new Set(['dba']))).toEqual({
      withheld: [],
      disappeared: [],
    });
  });
});
