import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8Encode } from './encoding.js';

/** SHA-256 hex; used for request digests, token hashes and the audit chain. */
export function sha256Hex(data: Uint8Array | string): string {
  return toHex(sha256(typeof data === 'string' ? utf8Encode(data) : data));
}
