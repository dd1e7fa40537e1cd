import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../encoding.js';

/** Key id: the first 16 bytes of SHA-256 over the raw public key, as hex. */
export function keyIdOf(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey).subarray(0, 16));
}

/** A short fingerprint people can read aloud and compare: `a1b2-c3d4-e5f6-0718`. */
export function fingerprintOf(publicKey: Uint8Array): string {
  const id = keyIdOf(publicKey).slice(0, 16);
  return id.match(/.{4}/g)!.join('-');
}
