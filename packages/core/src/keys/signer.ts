import nacl from 'tweetnacl';
import type { Ed25519 } from '../crypto/ed25519.js';
import { tweetnaclEd25519 } from '../crypto/ed25519.js';
import { keyIdOf } from './key-id.js';

export interface Signer {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface KeyPair {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
}

/** Randomness is the caller's: pass 32 bytes from a CSPRNG. */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  const { publicKey } = nacl.sign.keyPair.fromSeed(seed);
  return { seed: seed.slice(), publicKey, keyId: keyIdOf(publicKey) };
}

export function signerFor(keyPair: KeyPair, primitive: Ed25519 = tweetnaclEd25519): Signer {
  return {
    keyId: keyPair.keyId,
    publicKey: keyPair.publicKey,
    sign: (message) => primitive.sign(message, keyPair.seed),
  };
}
