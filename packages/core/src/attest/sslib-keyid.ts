import { sha256Hex } from '../digest.js';
import { canonicalBytes, toHex } from '../encoding.js';

/**
 * securesystemslib's key id for an Ed25519 key: SHA-256 of its canonical key dict. Written
 * into the attestations serfbort makes, so in-toto tools find the key by the id they expect;
 * never used to choose a key when verifying.
 */
export function sslibKeyId(publicKey: Uint8Array): string {
  return sha256Hex(
    canonicalBytes({
      keyid_hash_algorithms: ['sha256', 'sha512'],
      keytype: 'ed25519',
      keyval: { public: toHex(publicKey) },
      scheme: 'ed25519',
    }),
  );
}
