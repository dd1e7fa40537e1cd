import { describe, expect, it } from 'vitest';
import { artifactStatement, signStatement } from '../attest/sign-attestation.js';
import type { AdmissionCode } from '../codes.js';
import { ADMISSION_CODES } from '../codes.js';
import { fromBase64, toBase64, utf8Encode } from '../encoding.js';
import { signBytes } from '../envelope/envelope.js';
import { PAYLOAD_TYPES, payloadTypeOf } from '../envelope/payload-types.js';
import { signerFor } from '../keys/signer.js';
import {
  deploy,
  key,
  keyring,
  listed,
  NOW,
  root,
  trustFrom,
  verifier,
} from '../testing/fixtures.js';
import type { AdmissionInput } from './decide.js';
import { decideAdmission } from './decide.js';

const rootKey = key(40);
const alice = key(41); // may deploy anything anywhere
const bob = key(42);
const dbOnly = key(43); // may deploy only to role=db
const builder = key(44); // attests builds; `shop` requires it
const artifact = { sha256: 'ab'.repeat(32), size: 10 };
const attestation = signStatement(artifactStatement({ name: 'shop.tgz', ...artifact }, 'ci'), [
  signerFor(builder),
]);
const trust = trustFrom(
  root([rootKey]),
  keyring(
    [
      { name: 'alice', key: alice },
      { name: 'bob', key: bob },
      { name: 'dbonly', key: dbOnly, selectors: ['role=db'] },
    ],
    [rootKey],
    {
      policies: { creds: { threshold: 2 }, shop: { threshold: 1, requireAttestation: true } },
      builders: [{ name: 'ci', ...listed(builder), apps: ['shop'] }],
    },
  ),
);

const agent = { name: 'weba', labels: { role: 'web' }, apps: ['web', 'creds', 'shop'] };
const noHistory = { seen: () => false, lastAppliedAt: () => undefined };

function decide(envelope: unknown, over: Partial<AdmissionInput> = {}) {
  return decideAdmission({
    envelope,
    trust,
    agent,
    replay: noHistory,
    now: NOW,
    verifier,
    ...over,
  });
}

const cases: Record<AdmissionCode, () => ReturnType<typeof decide>> = {
  MALFORMED: () =>
    decide({
      payloadType: PAYLOAD_TYPES.deploy,
      payload: 'not base64!',
      signatures: [{ keyid: alice.keyId, sig: 'AA==' }],
    }),
  OVERSIZED: () =>
    decide(
      signBytes(PAYLOAD_TYPES.deploy, utf8Encode(`"${'x'.repeat(60_000)}"`), [signerFor(alice)]),
    ),
  WRONG_PAYLOAD_TYPE: () => decide({ ...deploy({}, [alice]), payloadType: PAYLOAD_TYPES.receipt }),
  UNSUPPORTED_VERSION: () =>
    decide(
      signBytes(payloadTypeOf('deploy', 99), fromBase64(deploy({}, [alice]).payload), [
        signerFor(alice),
      ]),
    ),
  BAD_SIGNATURE: () => {
    const env = deploy({}, [alice]);
    const forged = deploy({ version: 'v6.6.6' }, [alice]);
    return decide({ ...env, payload: forged.payload }); // hub swapped the version
  },
  UNKNOWN_SIGNER: () => decide(deploy({}, [key(99)])),
  SIGNER_NOT_ALLOWED: () => decide(deploy({}, [dbOnly])),
  THRESHOLD_NOT_MET: () => decide(deploy({ app: 'creds' }, [alice])),
  TRUST_EXPIRED: () => decide(deploy({}, [alice]), { now: trust.keyring!.keyring.expiresAt + 1 }),
  EXPIRED: () => decide(deploy({ expiresAt: NOW - 1 }, [alice])),
  ISSUED_IN_FUTURE: () =>
    decide(deploy({ issuedAt: NOW + 3_600_000, expiresAt: NOW + 7_200_000 }, [alice])),
  REPLAYED: () =>
    decide(deploy({}, [alice]), {
      replay: { seen: (id) => id === 'req-00000001', lastAppliedAt: () => undefined },
    }),
  STALE: () =>
    decide(deploy({}, [alice]), {
      replay: { seen: () => false, lastAppliedAt: (app) => (app === 'web' ? NOW : undefined) },
    }),
  TARGET_MISMATCH: () => decide(deploy({ target: { selector: 'role=db' } }, [alice])),
  APP_NOT_CONFIGURED: () => decide(deploy({ app: 'api' }, [alice])),
  BAD_VERSION: () => decide(deploy({ version: '--upload-pack=touch /tmp/pwned' }, [alice])),
  ATTESTATION_REQUIRED: () => decide(deploy({ app: 'shop', artifact }, [alice])),
  ATTESTATION_INVALID: () =>
    decide(
      deploy({ app: 'shop', artifact: { ...artifact, sha256: 'cd'.repeat(32) }, attestation }, [
        alice,
      ]),
    ),
};

describe('decideAdmission', () => {
  it('accepts a valid request and reports who signed it', () => {
    const d = decide(deploy({}, [alice]));
    expect(d).toMatchObject({
      accept: true,
      signers: [alice.keyId],
      request: { app: 'web', version: 'v1.2.3' },
    });
  });

  it('accepts an app requiring attestation when a listed builder attested its digest', () => {
    expect(decide(deploy({ app: 'shop', artifact, attestation }, [alice])).accept).toBe(true);
  });

  it('accepts a 2-of-N app with two distinct operators', () => {
    expect(decide(deploy({ app: 'creds' }, [alice, bob])).accept).toBe(true);
  });

  it('has a test for every reason code', () => {
    expect(Object.keys(cases).sort()).toEqual([...ADMISSION_CODES].sort());
  });

  for (const code of ADMISSION_CODES) {
    it(`rejects with ${code}`, () => {
      const d = cases[code]();
      expect(d.accept).toBe(false);
      expect(!d.accept && d.reason).toBe(code);
    });
  }

  it('addresses a rejection with the claimed id and digest when it can', () => {
    const d = decide(deploy({ target: { hosts: ['webb'] } }, [alice]));
    expect(d).toMatchObject({
      accept: false,
      reason: 'TARGET_MISMATCH',
      claimed: { id: 'req-00000001', app: 'web' },
    });
  });

  it('refuses a signed request whose payload violates the schema', () => {
    const bytes = utf8Encode(JSON.stringify({ type: 'deploy', id: 'req-00000001', extra: true }));
    const d = decide(signBytes(PAYLOAD_TYPES.deploy, bytes, [signerFor(alice)]));
    expect(!d.accept && d.reason).toBe('MALFORMED');
  });

  it('never throws on garbage', () => {
    for (const junk of [undefined, null, 0, '', [], { payload: toBase64(fromBase64('AAAA')) }]) {
      expect(decide(junk).accept).toBe(false);
    }
  });

  it('refuses everything when there is no trust at all', () => {
    expect(decide(deploy({}, [alice]), { trust: null })).toMatchObject({
      accept: false,
      reason: 'TRUST_EXPIRED',
    });
  });
});
