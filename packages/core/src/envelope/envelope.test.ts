import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, utf8Decode, utf8Encode } from '../encoding.js';
import { signerFor } from '../keys/signer.js';
import { key, verifier } from '../testing/fixtures.js';
import { addSignature, signBytes, signPayload } from './envelope.js';
import { pae } from './pae.js';
import { PAYLOAD_TYPES } from './payload-types.js';
import { verifyEnvelope } from './verify.js';

const alice = key(1);
const bob = key(2);
const keys = new Map([
  [alice.keyId, alice.publicKey],
  [bob.keyId, bob.publicKey],
]);
const lookup = (id: string) => keys.get(id);
const TYPE = PAYLOAD_TYPES.deploy;

describe('pre-authentication encoding', () => {
  it('is byte-exact DSSEv1', () => {
    expect(utf8Decode(pae('t/x', utf8Encode('hello')))).toBe('DSSEv1 3 t/x 5 hello');
    expect(utf8Decode(pae('', new Uint8Array(0)))).toBe('DSSEv1 0  0 ');
  });
  it('counts bytes, not characters', () => {
    expect(utf8Decode(pae('ü', utf8Encode('é')))).toBe('DSSEv1 2 ü 2 é');
  });
});

describe('verifyEnvelope', () => {
  const env = signPayload(TYPE, { hello: 'world', n: 1 }, [signerFor(alice)]);

  it('accepts the exact signed bytes and parses them', () => {
    const v = verifyEnvelope(env, TYPE, lookup, verifier);
    expect(v.ok && v.value.payload).toEqual({ hello: 'world', n: 1 });
    expect(v.ok && v.value.signers).toEqual([alice.keyId]);
  });

  it('refuses another payload type (a receipt is never a deploy)', () => {
    expect(verifyEnvelope(env, PAYLOAD_TYPES.receipt, lookup, verifier)).toMatchObject({
      ok: false,
      reason: 'WRONG_PAYLOAD_TYPE',
    });
    const relabelled = { ...env, payloadType: PAYLOAD_TYPES.receipt };
    expect(verifyEnvelope(relabelled, PAYLOAD_TYPES.receipt, lookup, verifier)).toMatchObject({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('refuses a signer it does not know with UNKNOWN_SIGNER', () => {
    const stranger = signPayload(TYPE, { a: 1 }, [signerFor(key(9))]);
    expect(verifyEnvelope(stranger, TYPE, lookup, verifier)).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_SIGNER',
    });
  });

  it('refuses malformed shapes with MALFORMED, and never throws', () => {
    for (const bad of [
      null,
      42,
      'x',
      [],
      {},
      { ...env, extra: 1 },
      { ...env, signatures: [] },
      { ...env, payload: '!!!' },
      { ...env, payload: toBase64(utf8Encode('{not json')) },
    ]) {
      const v = verifyEnvelope(bad, TYPE, lookup, verifier);
      expect(v.ok).toBe(false);
      expect(['MALFORMED', 'OVERSIZED', 'BAD_SIGNATURE']).toContain(!v.ok && v.reason);
    }
    fc.assert(
      fc.property(
        fc.anything(),
        (junk) => verifyEnvelope(junk, TYPE, lookup, verifier).ok === false,
      ),
    );
  });

  it('refuses oversized payloads with OVERSIZED', () => {
    const big = signBytes(TYPE, utf8Encode(JSON.stringify({ pad: 'x'.repeat(100_000) })), [
      signerFor(alice),
    ]);
    expect(verifyEnvelope(big, TYPE, lookup, verifier)).toMatchObject({
      ok: false,
      reason: 'OVERSIZED',
    });
  });

  it('refuses deeply nested JSON with MALFORMED', () => {
    const deep = signBytes(TYPE, utf8Encode(`${'['.repeat(1000)}${']'.repeat(1000)}`), [
      signerFor(alice),
    ]);
    expect(verifyEnvelope(deep, TYPE, lookup, verifier)).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
    });
  });

  it('fails when any single bit of payload, type or signature flips', () => {
    const payload = fromBase64(env.payload);
    const sig = fromBase64(env.signatures[0]!.sig);
    fc.assert(
      fc.property(
        fc.constantFrom('payload', 'type', 'sig'),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (where, index, bit) => {
          let mutated = env;
          if (where === 'payload') {
            const p = payload.slice();
            p[index % p.length]! ^= 1 << bit;
            mutated = { ...env, payload: toBase64(p) };
          } else if (where === 'sig') {
            const s = sig.slice();
            s[index % s.length]! ^= 1 << bit;
            mutated = { ...env, signatures: [{ keyid: alice.keyId, sig: toBase64(s) }] };
          } else {
            const t = utf8Encode(TYPE);
            t[index % t.length]! ^= 1 << bit;
            mutated = { ...env, payloadType: new TextDecoder().decode(t) };
            return verifyEnvelope(mutated, mutated.payloadType, lookup, verifier).ok === false;
          }
          return verifyEnvelope(mutated, TYPE, lookup, verifier).ok === false;
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('counts distinct keys: the same signature twice is one signer', () => {
    const twice = { ...env, signatures: [env.signatures[0]!, env.signatures[0]!] };
    const v = verifyEnvelope(twice, TYPE, lookup, verifier);
    expect(v.ok && v.value.signers).toEqual([alice.keyId]);
  });

  it('collects co-signatures over the same bytes', () => {
    const cosigned = addSignature(env, signerFor(bob), fromBase64(env.payload));
    const v = verifyEnvelope(cosigned, TYPE, lookup, verifier);
    expect(v.ok && v.value.signers.sort()).toEqual([alice.keyId, bob.keyId].sort());
  });
});
