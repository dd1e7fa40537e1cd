import { checkPublicKey } from '../crypto/policy.js';
import { tryFromBase64 } from '../encoding.js';
import { keyIdOf } from '../keys/key-id.js';

export interface ListedKey {
  keyId: string;
  publicKey: string;
}

/**
 * Key admission for a document's key list: every key must decode, be canonical and
 * prime-order, and its id must be the hash of its bytes. Returns a lookup, or the
 * first bad key.
 */
export function admitKeys(
  keys: readonly ListedKey[],
): { ok: true; lookup: Map<string, Uint8Array> } | { ok: false; keyId: string; why: string } {
  const lookup = new Map<string, Uint8Array>();
  for (const key of keys) {
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
