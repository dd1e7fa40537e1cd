import { ed25519 } from '@noble/curves/ed25519.js';
import { equalBytes } from '../encoding.js';
import type { Ed25519 } from './ed25519.js';
import { tweetnaclEd25519 } from './ed25519.js';

/** Order of the prime-order subgroup. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

export type KeyRefusal =
  | 'KEY_LENGTH'
  | 'KEY_NOT_CANONICAL'
  | 'KEY_SMALL_ORDER'
  | 'KEY_NOT_TORSION_FREE';
export type SignatureRefusal = 'SIG_LENGTH' | 'SIG_S_NOT_REDUCED' | 'SIG_R_NOT_CANONICAL';

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

function littleEndianBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * a < b for two little-endian numbers of the same length, compared byte by byte from
 * the top: every signature the hub stores and every agent admits goes through here,
 * and building BigInts for it cost more than the rest of the shape check.
 */
function lessThanLE(a: Uint8Array, b: Uint8Array, topMask = 0xff): boolean {
  for (let i = b.length - 1; i >= 0; i--) {
    const x = (a[i] ?? 0) & (i === b.length - 1 ? topMask : 0xff);
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** A point encoding that decodes strictly and re-encodes to the same bytes. */
function decodeCanonical(bytes: Uint8Array) {
  try {
    const point = ed25519.Point.fromBytes(bytes, false);
    return equalBytes(point.toBytes(), bytes) ? point : undefined;
  } catch {
    return undefined;
  }
}

/** Key admission: only canonical, prime-order keys enter a root, keyring or approval. */
export function checkPublicKey(publicKey: Uint8Array): KeyRefusal | undefined {
  if (publicKey.length !== 32) return 'KEY_LENGTH';
  const point = decodeCanonical(publicKey);
  if (!point) return 'KEY_NOT_CANONICAL';
  if (point.isSmallOrder()) return 'KEY_SMALL_ORDER';
  if (!point.isTorsionFree()) return 'KEY_NOT_TORSION_FREE';
  return undefined;
}

const P = 2n ** 255n - 19n;
const L_BYTES = littleEndianBytes(L, 32);
const P_BYTES = littleEndianBytes(P, 32);

/**
 * R is canonically encoded when y < p, and x = 0 (y = ±1) is not given a sign bit.
 * Whether R is on the curve at all is the platform verifier's to decide (both refuse
 * a point that does not decode), so no square root is needed here: this runs on every
 * receipt the hub stores.
 */
function canonicalEncoding(bytes: Uint8Array): boolean {
  const sign = (bytes[31] ?? 0) >> 7;
  // y is the low 255 bits
  if (!lessThanLE(bytes, P_BYTES, 0x7f)) return false;
  if (sign === 0) return true;
  const y = littleEndian(bytes) & ((1n << 255n) - 1n);
  return !(y === 1n || y === P - 1n);
}

/** Signature shape: 64 bytes, canonical R, S below the group order (no malleability). */
export function checkSignature(signature: Uint8Array): SignatureRefusal | undefined {
  if (signature.length !== 64) return 'SIG_LENGTH';
  if (!lessThanLE(signature.subarray(32), L_BYTES)) return 'SIG_S_NOT_REDUCED';
  if (!canonicalEncoding(signature.subarray(0, 32))) return 'SIG_R_NOT_CANONICAL';
  return undefined;
}

export interface Verifier {
  readonly primitive: Ed25519;
  /** Key admission with the verifier's cache: cheap for a key seen before (every reconnect). */
  admits(publicKey: Uint8Array): boolean;
  /** True only if the key is admissible, the signature well-shaped, and the primitive agrees. */
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
}

/**
 * The strict policy in front of a platform primitive. Key admission is costly
 * (a scalar multiplication), so its verdict is cached per key.
 */
export function createVerifier(
  primitive: Ed25519 = tweetnaclEd25519,
  cacheSize = 50_000,
): Verifier {
  const admitted = new Map<string, boolean>();
  const keyIsAdmissible = (publicKey: Uint8Array): boolean => {
    const id = String.fromCharCode(...publicKey);
    let verdict = admitted.get(id);
    if (verdict === undefined) {
      verdict = checkPublicKey(publicKey) === undefined;
      if (admitted.size >= cacheSize) admitted.clear();
      admitted.set(id, verdict);
    }
    return verdict;
  };
  return {
    primitive,
    admits: (publicKey) => publicKey.length === 32 && keyIsAdmissible(publicKey),
    verify(message, signature, publicKey) {
      if (publicKey.length !== 32 || !keyIsAdmissible(publicKey)) return false;
      if (checkSignature(signature) !== undefined) return false;
      return primitive.verify(message, signature, publicKey);
    },
  };
}
