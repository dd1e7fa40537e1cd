import type { Envelope, KeyPair } from '@serfbort/core';
import { key, signKeyring, signRoot } from '@serfbort/testkit';

export interface BenchTrust {
  rootKey: KeyPair;
  /** operator keys; several, because the hub rate-limits each operator key (setup only) */
  operators: KeyPair[];
  root: Envelope;
  keyring: Envelope;
}

/** One root key and `operatorCount` all-powerful operators, deterministic like the agent keys. */
export function benchTrust(operatorCount: number, now = Date.now()): BenchTrust {
  const rootKey = key(1);
  const operators = Array.from({ length: operatorCount }, (_, i) => key(100 + i));
  const root = signRoot({ keys: [rootKey] }, [rootKey], now);
  const keyring = signKeyring(
    { operators: operators.map((k, i) => ({ name: `bench-${i}`, key: k })) },
    [rootKey],
    now,
  );
  return { rootKey, operators, root: root.envelope, keyring: keyring.envelope };
}
