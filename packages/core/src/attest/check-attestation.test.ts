import { describe, expect, it } from 'vitest';
import { toBase64, toHex, utf8Decode, utf8Encode } from '../encoding.js';
import { pae } from '../envelope/pae.js';
import { signerFor } from '../keys/signer.js';
import type { DeployRequest } from '../schemas/deploy.js';
import { key, keyring, listed, NOW, root, trustFrom, verifier } from '../testing/fixtures.js';
import { verifyKeyring } from '../trust/keyring.js';
import { checkAttestation } from './check-attestation.js';
import type { DsseEnvelope } from './dsse-envelope.js';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse-envelope.js';
import { firstDuplicateMember } from './duplicate-members.js';
import { artifactStatement, signStatement } from './sign-attestation.js';
import { sslibKeyId } from './sslib-keyid.js';

const rootKey = key(60);
const alice = key(61);
const ci = key(62);
const otherCi = key(63); // listed, but only for app `api`
const stranger = key(64);
const sha256 = '0f'.repeat(32);
const artifact = { sha256, size: 1234 };

const trust = trustFrom(
  root([rootKey]),
  keyring([{ name: 'alice', key: alice }], [rootKey], {
    policies: { web: { threshold: 1, requireAttestation: true } },
    builders: [
      { name: 'ci', ...listed(ci), apps: ['web'] },
      { name: 'api-ci', ...listed(otherCi), apps: ['api'] },
    ],
  }),
);
const verified = trust.keyring!;

function request(over: Partial<DeployRequest> = {}): DeployRequest {
  return {
    type: 'deploy',
    id: 'req-00000001',
    app: 'web',
    version: 'v1',
    target: { hosts: ['weba'] },
    issuedAt: NOW,
    expiresAt: NOW + 60_000,
    signers: [alice.keyId],
    artifact,
    ...over,
  };
}

/** An envelope over exact statement bytes, signed as DSSE by `signers`. */
function envelopeOver(text: string, signers = [ci], type = IN_TOTO_PAYLOAD_TYPE): DsseEnvelope {
  const bytes = utf8Encode(text);
  return {
    payloadType: type,
    payload: toBase64(bytes),
    signatures: signers.map((k) => ({ sig: toBase64(signerFor(k).sign(pae(type, bytes))) })),
  };
}

const statementText = (digest = sha256) =>
  JSON.stringify(artifactStatement({ name: 'web.tgz', sha256: digest }, 'ci'));
const check = (over: Partial<DeployRequest>) => checkAttestation(request(over), verified, verifier);
const codeOf = (over: Partial<DeployRequest>) => {
  const c = check(over);
  return c.ok ? 'ok' : c.code;
};

describe('checkAttestation', () => {
  it('passes a statement about the artifact signed by a builder listed for the app', () => {
    const attestation = signStatement(artifactStatement({ name: 'web.tgz', sha256 }, 'ci'), [
      signerFor(ci),
    ]);
    expect(check({ attestation })).toEqual({ ok: true, builders: ['ci'] });
  });

  it('leaves apps without the requirement alone', () => {
    expect(codeOf({ app: 'api', artifact: undefined })).toBe('ok');
  });

  describe('when the app requires an attestation', () => {
    it('refuses a request without an artifact with ATTESTATION_REQUIRED', () => {
      expect(codeOf({ artifact: undefined, attestation: envelopeOver(statementText()) })).toBe(
        'ATTESTATION_REQUIRED',
      );
    });

    it('refuses a request without an attestation with ATTESTATION_REQUIRED', () => {
      expect(codeOf({})).toBe('ATTESTATION_REQUIRED');
    });

    it('refuses a statement signed by a key the keyring does not list with ATTESTATION_INVALID', () => {
      expect(codeOf({ attestation: envelopeOver(statementText(), [stranger]) })).toBe(
        'ATTESTATION_INVALID',
      );
    });

    it("refuses a builder listed only for another app's artifacts with ATTESTATION_INVALID", () => {
      expect(codeOf({ attestation: envelopeOver(statementText(), [otherCi]) })).toBe(
        'ATTESTATION_INVALID',
      );
    });

    it('refuses a statement about another digest with ATTESTATION_INVALID', () => {
      expect(codeOf({ attestation: envelopeOver(statementText('ee'.repeat(32))) })).toBe(
        'ATTESTATION_INVALID',
      );
    });

    it('refuses a statement that repeats a member with ATTESTATION_INVALID', () => {
      // a reader keeping the first `subject` sees another digest than one keeping the last
      const text = `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"${'ee'.repeat(32)}"}}],"predicateType":"x","subject":[{"digest":{"sha256":"${sha256}"}}]}`;
      const c = check({ attestation: envelopeOver(text) });
      expect(c).toMatchObject({ ok: false, code: 'ATTESTATION_INVALID' });
      expect(!c.ok && c.detail).toContain('repeats the member "subject"');
    });

    it('refuses another payload type, or another statement type, with ATTESTATION_INVALID', () => {
      expect(codeOf({ attestation: envelopeOver(statementText(), [ci], 'text/plain') })).toBe(
        'ATTESTATION_INVALID',
      );
      const v01 = statementText().replace('Statement/v1', 'Statement/v0.1');
      expect(codeOf({ attestation: envelopeOver(v01) })).toBe('ATTESTATION_INVALID');
    });

    it('refuses a signature moved onto other bytes with ATTESTATION_INVALID', () => {
      const good = envelopeOver(statementText());
      const swapped = { ...good, payload: envelopeOver(statementText('ee'.repeat(32))).payload };
      expect(codeOf({ attestation: swapped })).toBe('ATTESTATION_INVALID');
    });

    it('matches a signature to a builder by trying the keys, whatever the key id says', () => {
      const env = envelopeOver(statementText());
      const misnamed = {
        ...env,
        signatures: [{ keyid: 'not-a-key', sig: env.signatures[0]!.sig }],
      };
      expect(codeOf({ attestation: misnamed })).toBe('ok');
    });

    it('reads URL-safe unpadded base64, which DSSE allows', () => {
      const env = envelopeOver(`${statementText()}  `);
      const urlSafe = (b: string) => b.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      const sig = urlSafe(env.signatures[0]!.sig);
      expect(
        codeOf({ attestation: { ...env, payload: urlSafe(env.payload), signatures: [{ sig }] } }),
      ).toBe('ok');
    });
  });
});

describe('firstDuplicateMember', () => {
  it('finds a repeated name at any depth, after unescaping', () => {
    expect(firstDuplicateMember('{"a":{"b":1,"b":2}}')).toBe('b');
    expect(firstDuplicateMember('[{"x":1},{"y":[{"k":1,"\\u006b":2}]}]')).toBe('k');
  });

  it('lets the same name appear in sibling objects and as a value', () => {
    expect(firstDuplicateMember('[{"a":"a"},{"a":{"a":["a",{"a":1}]}}]')).toBeUndefined();
    expect(firstDuplicateMember('{"a\\"":1,"a":2,"s":"{\\"a\\":1,"}')).toBeUndefined();
  });
});

describe('DSSE and securesystemslib conventions', () => {
  it("encodes PAE as DSSE v1's spec example", () => {
    const out = pae('http://example.com/HelloWorld', utf8Encode('hello world'));
    expect(utf8Decode(out)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('spells key ids as securesystemslib does (sha256 of the canonical key dict)', () => {
    // computed with Debian's python3-securesystemslib 0.26: keys._get_keyid('ed25519', 'ed25519', …)
    const pub = key(0).publicKey;
    expect(toHex(pub)).toBe('e76f3c88eb866dabb36b34b7d8c3e24ab21f6566e35a36064514d4d30c9db856');
    expect(sslibKeyId(pub)).toBe(
      'da382a87781d95588af1e9387a68426754f12ebce4f995624c328a7649329ffc',
    );
  });
});

describe('a keyring with builders', () => {
  it('refuses a key listed both as operator and builder with TRUST_DUPLICATE_KEY', () => {
    const r = trustFrom(root([rootKey]), keyring([{ name: 'alice', key: alice }], [rootKey]));
    const both = keyring([{ name: 'alice', key: alice }], [rootKey], {
      version: 2,
      builders: [{ name: 'ci', ...listed(alice), apps: ['*'] }],
    });
    const v = verifyKeyring(r.root.root, both, verifier, {
      now: NOW,
      previous: r.keyring!.keyring,
    });
    expect(!v.ok && v.reason).toBe('TRUST_DUPLICATE_KEY');
  });

  it('keeps keyrings without builders valid, with no builder keys', () => {
    const r = trustFrom(root([rootKey]), keyring([{ name: 'alice', key: alice }], [rootKey]));
    expect(r.keyring!.builderKeys.size).toBe(0);
  });
});
