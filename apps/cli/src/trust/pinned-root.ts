import type { VerifiedRoot } from '@serfbort/core';
import { verifyInitialRoot } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { CliConfig } from '../config/config.js';
import { CliError, EXIT } from '../errors.js';
import { readJsonFile } from './doc-file.js';

/**
 * The trust anchor: a root document the operator installed (--root, SERFBORT_ROOT, the config
 * file, or root.json in the config directory). Everything the hub says about trust is checked from here.
 */
export function loadPinnedRoot(config: Pick<CliConfig, 'rootPath'>): VerifiedRoot | undefined {
  if (config.rootPath === undefined) return undefined;
  const verified = verifyInitialRoot(readJsonFile(config.rootPath, 'pinned root'), nodeVerifier);
  if (!verified.ok) {
    throw new CliError(
      EXIT.usage,
      verified.reason,
      `pinned root ${config.rootPath} does not verify: ${verified.detail ?? verified.reason}`,
    );
  }
  return verified.value;
}
