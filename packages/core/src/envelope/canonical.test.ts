import { describe, expect, it } from 'vitest';
import { decideAdmission } from '../admission/decide.js';
import { utf8Encode } from '../encoding.js';
import { signBytes } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import { signerFor } from '../keys/signer.js';
import { deploy, key, keyring, NOW, root, trustFrom, verifier } from '../testing/fixtures.js';
import { openEnvelope } from './verify.js';

const rootKey = key(70);
const alice = key(71);
const trust = trustFrom(root([rootKey]), keyring([{ name: 'alice', key: alice }], [rootKey]));
const agent = { name: 'weba', labels: { role: 'web' }, apps: ['web', 'db'] };
const decide = (envelope: unknown) =>
  decideAdmission({
    envelope,
    trust,
    agent,
    replay: { seen: () => false, lastAppliedAt: () => undefined },
    now: NOW,
    verifier,
  });

/** A deploy signed over hand-written bytes, as a tool other than ours could produce them. */
function signedText(text: string) {
  return signBytes(PAYLOAD_TYPES.deploy, utf8Encode(text), [signerFor(alice)]);
}

const fields = (over: string) =>
  `"expiresAt":${NOW + 3_600_000},"id":"req-00000009","issuedAt":${NOW - 1000},"signers":["${alice.keyId}"],${over},"type":"deploy","version":"v1.2.3"`;

describe('when a signed payload repeats a member', () => {
  it('refuses two targets (JSON.parse would run on the second) with MALFORMED', () => {
    const text = `{"app":"web",${fields('"target":{"hosts":["dbhost"]},"target":{"hosts":["weba"]}')}}`;
    expect(JSON.parse(text).target).toEqual({ hosts: ['weba'] }); // what a last-wins reader sees
    expect(decide(signedText(text))).toMatchObject({ accept: false, reason: 'MALFORMED' });
  });

  it('refuses two apps with MALFORMED', () => {
    const text = `{"app":"db","app":"web",${fields('"target":{"hosts":["weba"]}')}}`;
    expect(decide(signedText(text))).toMatchObject({ accept: false, reason: 'MALFORMED' });
  });
});

describe('when a signed payload is valid JSON but not canonical', () => {
  it('refuses other spacing or member order', () => {
    const spaced = `{ "app": "web", ${fields('"target":{"hosts":["weba"]}')}}`;
    const unsorted = `{${fields('"target":{"hosts":["weba"]}')},"app":"web"}`;
    for (const text of [spaced, unsorted])
      expect(openEnvelope(signedText(text), PAYLOAD_TYPES.deploy)).toMatchObject({
        ok: false,
        reason: 'MALFORMED',
      });
  });

  it('accepts the canonical bytes our signers produce (control)', () => {
    const text = `{"app":"web",${fields('"target":{"hosts":["weba"]}')}}`;
    expect(decide(signedText(text))).toMatchObject({ accept: true });
    expect(decide(deploy({ target: { hosts: ['weba'] } }, [alice]))).toMatchObject({
      accept: true,
    });
  });
});
