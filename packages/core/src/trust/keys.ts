import type { TrustCode } from '../codes.js';
import { checkPublicKey } from '../crypto/policy.js';
import { tryFromBase64 } from '../encoding.js';
import { keyIdOf } from '../keys/key-id.js';

export interface ListedKey {
  keyId: string;
  publicKey: string;
}

/**
 * Key admission for a document's key list: every key must decode, be canonical and
 * prime-order, its id must be the hash of its bytes, and no key may be listed twice. Returns a lookup, or the
 * first bad key.
 */
export function admitKeys(
  keys: readonly ListedKey[],
):
  | { ok: true; lookup: Map<string, Uint8Array> }
  | { ok: false; keyId: string; why: string; duplicate?: true } {
  const lookup = new Map<string, Uint8Array>();
  for (const key of keys) {
    // a key listed twice would count twice toward a threshold that counts entries
    if (lookup.has(key.keyId))
      return { ok: false, keyId: key.keyId, why: 'the same key is listed twice', duplicate: true };
    const raw = tryFromBase64(key.publicKey);
    if (!raw) return { ok: false, keyId: key.keyId, why: 'not base64' };
    const refusal = checkPublicKey(raw);
    if (refusal) return { ok: false, keyId: key.keyId, why: refusal };
    if (keyIdOf(raw) !== key.keyId)
      return { ok: false, keyId: key.keyId, why: 'key id is not the hash of the key' };
    lookup.set(key.keyId, raw);
  }
  return { ok: true, lookup };
}

/** The code for a key list admitKeys refused. */
export function keyRefusal(refused: { duplicate?: true }): TrustCode {
  return refused.duplicate ? 'TRUST_DUPLICATE_KEY' : 'TRUST_BAD_KEY';
}
