import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../encoding.js';
import { keyPairFromSeed } from '../keys/signer.js';
import { tweetnaclEd25519 } from './ed25519.js';
import { checkPublicKey, checkSignature, createVerifier } from './policy.js';

// RFC 8032, section 7.1, TEST 1-3
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const verifier = createVerifier(tweetnaclEd25519);

describe('RFC 8032 test vectors with tweetnacl behind the policy', () => {
  it.each(RFC8032.map((v, i) => [i + 1, v] as const))(
    'TEST %i derives the key, signs and verifies',
    (_n, v) => {
      const kp = keyPairFromSeed(fromHex(v.seed));
      expect(toHex(kp.publicKey)).toBe(v.publicKey);
      expect(toHex(tweetnaclEd25519.sign(fromHex(v.message), kp.seed))).toBe(v.signature);
      expect(verifier.verify(fromHex(v.message), fromHex(v.signature), kp.publicKey)).toBe(true);
      expect(verifier.verify(fromHex(`${v.message}00`), fromHex(v.signature), kp.publicKey)).toBe(
        false,
      );
    },
  );
});

describe('key admission', () => {
  it('admits an ordinary key', () => {
    expect(checkPublicKey(fromHex(RFC8032[0]!.publicKey))).toBeUndefined();
  });
  it('is cached by the verifier and agrees with checkPublicKey', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    for (let i = 0; i < 2; i++) {
      expect(verifier.admits(fromHex(RFC8032[0]!.publicKey))).toBe(true);
      expect(verifier.admits(identity)).toBe(false);
      expect(verifier.admits(new Uint8Array(31))).toBe(false);
    }
  });
  it('refuses a key of the wrong length', () => {
    expect(checkPublicKey(new Uint8Array(31))).toBe('KEY_LENGTH');
  });
  it('refuses the identity (small order)', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    expect(checkPublicKey(identity)).toBe('KEY_SMALL_ORDER');
  });
  it('refuses a non-canonical encoding (y >= p)', () => {
    const y = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'); // y = p
    expect(checkPublicKey(y)).toBe('KEY_NOT_CANONICAL');
  });
  it('refuses a mixed-order key (not torsion-free)', () => {
    const base = ed25519.Point.fromBytes(fromHex(RFC8032[0]!.publicKey));
    const torsion = ed25519.Point.fromBytes(
      fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'),
    ); // order 8
    const mixed = base.add(torsion).toBytes();
    expect(checkPublicKey(mixed)).toBe('KEY_NOT_TORSION_FREE');
  });
});

describe('signature shape', () => {
  const v = RFC8032[1]!;
  it('refuses S >= L even where the math would still verify', () => {
    const sig = fromHex(v.signature);
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    s += L;
    const bumped = sig.slice();
    for (let i = 32; i < 64; i++) {
      bumped[i] = Number(s & 0xffn);
      s >>= 8n;
    }
    expect(checkSignature(bumped)).toBe('SIG_S_NOT_REDUCED');
    expect(verifier.verify(fromHex(v.message), bumped, fromHex(v.publicKey))).toBe(false);
  });
  it('refuses a non-canonical R', () => {
    const sig = fromHex(v.signature);
    sig.set(fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), 0);
    expect(checkSignature(sig)).toBe('SIG_R_NOT_CANONICAL');
  });
  it('refuses R = (0, 1) with its sign bit set (x = 0 has no negative)', () => {
    const sig = fromHex(v.signature);
    const r = new Uint8Array(32);
    r[0] = 1;
    r[31] = 0x80;
    sig.set(r, 0);
    expect(checkSignature(sig)).toBe('SIG_R_NOT_CANONICAL');
    r[31] = 0;
    sig.set(r, 0);
    expect(checkSignature(sig)).toBeUndefined(); // canonical (if useless): the verifier decides
  });
  it('refuses a signature of the wrong length', () => {
    expect(checkSignature(new Uint8Array(63))).toBe('SIG_LENGTH');
    expect(verifier.verify(new Uint8Array(0), new Uint8Array(63), fromHex(v.publicKey))).toBe(
      false,
    );
  });
});
