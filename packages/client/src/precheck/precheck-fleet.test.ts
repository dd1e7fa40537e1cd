import { describe, expect, it } from 'vitest';
import type { FleetHost } from './precheck-fleet.js';
import { precheckFleet } from './precheck-fleet.js';
import { closestWord } from './suggest.js';

const known: FleetHost[] = [
  { name: 'weba', labels: { role: 'web' }, apps: ['shop', 'creds'] },
  { name: 'webb', labels: { role: 'web', canary: 'yes' }, apps: ['shop'] },
  { name: 'dba', labels: { role: 'db' }, apps: ['pg'] },
];

describe('precheckFleet', () => {
  it('passes a target and app the fleet knows', () => {
    const verdict = precheckFleet({ app: 'shop', target: { selector: 'role=web' }, known });
    expect(verdict.ok && verdict.matched.map((h) => h.name)).toEqual(['weba', 'webb']);
  });

  it('refuses unknown host names with UNKNOWN_HOST and the closest name', () => {
    expect(precheckFleet({ app: 'shop', target: { hosts: ['weba', 'wbeb'] }, known })).toEqual({
      ok: false,
      matched: [known[0]],
      refusals: [
        {
          code: 'UNKNOWN_HOST',
          detail: "no host named 'wbeb' is known to the hub; did you mean 'webb'?",
        },
      ],
    });
  });

  it('refuses a selector matching no host, naming the closest label value or key', () => {
    const value = precheckFleet({ app: 'shop', target: { selector: 'role=wbe' }, known });
    expect(!value.ok && value.refusals).toEqual([
      {
        code: 'NO_MATCHING_HOSTS',
        detail: "no known host matches 'role=wbe': no host has role=wbe; did you mean 'web'?",
      },
    ]);
    const key = precheckFleet({ app: 'shop', target: { selector: 'rol=web' }, known });
    expect(!key.ok && key.refusals[0]?.detail).toBe(
      "no known host matches 'rol=web': no host has a label 'rol'; did you mean 'role'?",
    );
  });

  it('refuses an app no targeted host has with UNKNOWN_APP and the closest app', () => {
    const verdict = precheckFleet({ app: 'shpo', target: { selector: 'role=web' }, known });
    expect(!verdict.ok && verdict.refusals).toEqual([
      {
        code: 'UNKNOWN_APP',
        detail:
          "no targeted host has app 'shpo' (per the hub, they have: creds, shop); did you mean 'shop'?",
      },
    ]);
    // an app only untargeted hosts have is still unknown to this target
    const elsewhere = precheckFleet({ app: 'pg', target: { hosts: ['webb'] }, known });
    expect(!elsewhere.ok && elsewhere.refusals.map((r) => r.code)).toEqual(['UNKNOWN_APP']);
  });
});

describe('closestWord', () => {
  it('suggests nothing when no word is close', () => {
    expect(closestWord('zzzz', ['shop', 'creds'])).toBeUndefined();
    expect(closestWord('crds', ['shop', 'creds'])).toBe('creds');
  });
});
