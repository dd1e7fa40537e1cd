import type { AgentKeyRecord, TrustBundle, VerifiedKeyring, VerifiedRoot } from '@serfbort/core';
import { advanceRoot, trustedAgentKeys, verifyInitialRoot, verifyKeyring } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { CliCode } from '../errors.js';
import { CliError, EXIT } from '../errors.js';

export interface VerifiedTrust {
  root: VerifiedRoot;
  keyring: VerifiedKeyring;
  /** false: no local root was pinned, so the hub's own first root was the anchor */
  pinned: boolean;
}

const untrusted = (code: CliCode, message: string) => new CliError(EXIT.hosts, code, message);

/**
 * Never the hub's word: the root chain is walked forward from the pinned root (each link
 * signed by the previous root's threshold and its own), then the keyring is checked
 * against the newest root. Without a pinned root the hub's first root stands in, and the
 * caller must say so loudly.
 */
export function verifyTrustBundle(
  bundle: TrustBundle,
  pinned: VerifiedRoot | undefined,
  now: number,
): VerifiedTrust {
  let anchor = pinned;
  if (!anchor) {
    const first = bundle.roots[0];
    if (first === undefined)
      throw untrusted(
        'TRUST_NO_ROOT',
        'the hub holds no root document: publish one with `serfbort trust publish root.json`',
      );
    const initial = verifyInitialRoot(first, nodeVerifier);
    if (!initial.ok)
      throw untrusted(
        initial.reason,
        `the hub's first root does not verify: ${initial.detail ?? initial.reason}`,
      );
    anchor = initial.value;
  }
  const head = advanceRoot(anchor, bundle.roots, nodeVerifier);
  if (!head.ok)
    throw untrusted(
      head.reason,
      `the hub's root chain does not verify from root v${anchor.root.version}: ${head.detail ?? head.reason}`,
    );
  if (head.value.root.expiresAt <= now)
    throw untrusted(
      'TRUST_DOC_EXPIRED',
      `root v${head.value.root.version} has expired: no deploy can pass until a new root is published`,
    );
  if (!bundle.keyring)
    throw untrusted(
      'TRUST_NO_KEYRING',
      'the hub holds no keyring: publish one with `serfbort trust publish keyring.json`',
    );
  const keyring = verifyKeyring(head.value.root, bundle.keyring, nodeVerifier, { now });
  if (!keyring.ok)
    throw untrusted(
      keyring.reason,
      `the hub's keyring does not verify: ${keyring.detail ?? keyring.reason}`,
    );
  return { root: head.value, keyring: keyring.value, pinned: pinned !== undefined };
}

/** host → key, only for keys an operator of the verified keyring vouched for. */
export function approvedAgentKeys(
  records: readonly AgentKeyRecord[],
  trust: VerifiedTrust,
): Map<string, Uint8Array> {
  return trustedAgentKeys(records, trust.keyring, nodeVerifier);
}
