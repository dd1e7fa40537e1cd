import nacl from 'tweetnacl';

/**
 * A raw Ed25519 implementation. Core never calls one directly: it always goes
 * through the strict policy (see policy.ts) so every platform agrees.
 */
export interface Ed25519 {
  readonly name: string;
  /** 64-byte signature over message with a 32-byte seed. */
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
}

export const tweetnaclEd25519: Ed25519 = {
  name: 'tweetnacl',
  sign(message, seed) {
    return nacl.sign.detached(message, nacl.sign.keyPair.fromSeed(seed).secretKey);
  },
  verify(message, signature, publicKey) {
    try {
      return nacl.sign.detached.verify(message, signature, publicKey);
    } catch {
      return false;
    }
  },
};
