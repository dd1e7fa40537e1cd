import { statSync } from 'node:fs';
import type { KeyPair } from '@serfbort/core';
import { fingerprintOf } from '@serfbort/core';
import { generateKeyPair, readPlainKey, writePlainKey } from '@serfbort/node';
import { STATE_FILES, type StateDir, StateError } from './state-dir.js';

export interface AgentKey {
  keyPair: KeyPair;
  fingerprint: string;
  created: boolean;
  path: string;
}

/**
 * The agent's machine key: an unencrypted seed file, owner-only, because the agent
 * must start unattended. Created on first start, never overwritten.
 */
export function loadOrCreateKey(dir: StateDir): AgentKey {
  const path = dir.file(STATE_FILES.key);
  if (dir.exists(STATE_FILES.key)) {
    let keyPair: KeyPair;
    try {
      keyPair = readPlainKey(path);
    } catch {
      throw new StateError(
        'STATE_FILE_CORRUPT',
        `${path} is not a serfbort agent key; move it away to create a new key (the new key needs a new approval)`,
      );
    }
    // a key readable by others is a key others may hold: refuse rather than warn
    if ((statSync(path).mode & 0o077) !== 0)
      throw new StateError(
        'STATE_KEY_EXPOSED',
        `${path} is readable by other users; run chmod 600 on it`,
      );
    return { keyPair, fingerprint: fingerprintOf(keyPair.publicKey), created: false, path };
  }
  const keyPair = generateKeyPair();
  writePlainKey(path, keyPair);
  return { keyPair, fingerprint: fingerprintOf(keyPair.publicKey), created: true, path };
}
