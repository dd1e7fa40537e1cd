// Test-only helpers for client's own tests (not exported from the package).

import type { KeyPair } from '@serfbort/core';
import { createVerifier, keyPairFromSeed } from '@serfbort/core';

export const verifier = createVerifier();
export const NOW = 1_800_000_000_000;

export function key(n: number): KeyPair {
  const seed = new Uint8Array(32);
  seed[0] = n;
  seed[31] = 0x7c;
  return keyPairFromSeed(seed);
}
