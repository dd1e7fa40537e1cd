import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyPair, Labels } from '@serfbort/core';
import { keyIdOf } from '@serfbort/core';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Deterministic agent keys: seed = SHA-256("serfbort-bench-agent-<i>"). The public
 * key comes from Node's crypto (tweetnacl takes ~10 ms per key, too slow for 10,000).
 */
export function agentKeyPair(index: number): KeyPair {
  const seed = new Uint8Array(
    createHash('sha256').update(`serfbort-bench-agent-${index}`).digest(),
  );
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return { seed, publicKey, keyId: keyIdOf(publicKey) };
}

export const agentName = (index: number): string => `sim-${String(index).padStart(5, '0')}`;

/** Shards of 1% each: `shard=7` selects one agent in a hundred. */
export const SHARDS = 100;
export const FLEET_SELECTOR = 'role=web';
export const ONE_PERCENT_SELECTOR = 'shard=7';

export function agentLabels(index: number): Labels {
  return { role: 'web', shard: String(index % SHARDS), dc: index % 2 === 0 ? 'ams' : 'fra' };
}

export const BENCH_APP = 'web';
