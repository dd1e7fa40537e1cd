import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Verifier } from '@serfbort/core';
import { checkSignature, equalBytes } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { Db } from '../db/open.js';
import { agents } from '../db/schema.js';
import type { AdmittedKeys } from '../hub-services.js';

/** Keys remembered at most; beyond this the set starts over (a cache miss only costs a check). */
const MAX_KEYS = 200_000;

/**
 * Public keys (base64) of the agents table. Every key there passed key admission when it
 * was approved or enrolled, and admission is a property of the key alone, so a hello
 * with one of them need not redo the scalar multiplication — which a hub that just
 * restarted would otherwise do for its whole fleet at once. A key missing here (approved
 * on another hub, or never) is simply checked.
 */
export class AdmittedKeyCache implements AdmittedKeys {
  private keys: Promise<Set<string>> | undefined;

  constructor(private readonly db: Db) {}

  all(): Promise<Set<string>> {
    if (!this.keys) {
      const keys = this.db
        .select({ publicKey: agents.publicKey })
        .from(agents)
        .then((rows) => new Set(rows.slice(0, MAX_KEYS).map((r) => r.publicKey)));
      // a failed read is retried by the next hello rather than cached
      keys.catch(() => {
        if (this.keys === keys) this.keys = undefined;
      });
      this.keys = keys;
    }
    return this.keys;
  }

  async remember(publicKey: string): Promise<void> {
    const keys = await this.all();
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.add(publicKey);
  }

  verifierFor(admittedKey: Uint8Array): Verifier {
    return verifierForAdmitted(admittedKey);
  }
}

/** Key objects of admitted keys; bounded like the admission set. */
const keyObjects = new Map<string, KeyObject>();

/**
 * Node's Ed25519 verify with the key imported as a JWK: OpenSSL's DER decoder costs
 * ~130 µs per key here against ~14 µs for a JWK, paid once per agent — by the whole
 * fleet at once when a hub restarts.
 */
function verifyWithNode(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const x = Buffer.from(publicKey).toString('base64url');
  let keyObject = keyObjects.get(x);
  if (!keyObject) {
    keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    if (keyObjects.size >= MAX_KEYS) keyObjects.clear();
    keyObjects.set(x, keyObject);
  }
  try {
    return verify(null, message, keyObject, signature);
  } catch {
    return false;
  }
}

/**
 * The strict verifier for a key that already passed admission (it is in the agents
 * table): the signature policy and the platform primitive, without redoing the key
 * check. Any other key is checked as usual.
 */
export function verifierForAdmitted(admittedKey: Uint8Array): Verifier {
  const admits = (publicKey: Uint8Array) =>
    equalBytes(publicKey, admittedKey) || nodeVerifier.admits(publicKey);
  return {
    primitive: { name: 'node:crypto', sign: nodeVerifier.primitive.sign, verify: verifyWithNode },
    admits,
    verify(message, signature, publicKey) {
      if (publicKey.length !== 32 || !admits(publicKey)) return false;
      if (checkSignature(signature) !== undefined) return false;
      return verifyWithNode(message, signature, publicKey);
    },
  };
}
