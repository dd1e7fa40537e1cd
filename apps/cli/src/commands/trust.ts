import type { Command } from '@commander-js/extra-typings';
import { registerTrustHub } from './trust-hub.js';
import { registerTrustKeyring } from './trust-keyring.js';
import { registerTrustRoot } from './trust-root.js';
import { registerTrustSign } from './trust-sign.js';

export function registerTrust(program: Command): void {
  const trust = program
    .command('trust')
    .description(
      'root and keyring documents: who may deploy what (administrators, with offline root keys)',
    );
  registerTrustRoot(trust);
  registerTrustKeyring(trust);
  registerTrustSign(trust);
  registerTrustHub(trust);
}
