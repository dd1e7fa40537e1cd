import type { HostView, Verifier } from '@serfbort/core';
import { verifyTrustReport } from '@serfbort/core';
import type { TrustSeen } from './roster.js';

/** What one host holds of the trust chain, by its own signed report. */
export interface TrustView {
  host: string;
  /** null: no report that verifies (an older agent, none yet, or not signed by its key) */
  root: number | null;
  keyring: number | null;
  verified: boolean;
  /** how it lags the newest versions this client verified, e.g. `keyring v5 < v6` */
  behind: string[];
  detail: string | null;
}

/**
 * A host's trust versions against the newest this client verified itself. Only the
 * host's signed report counts: the hub relays it and cannot raise a version in it.
 */
export function judgeTrustView(
  view: Pick<HostView, 'name' | 'trustReport'>,
  hostKey: Uint8Array | undefined,
  newest: TrustSeen | null,
  verifier: Verifier,
): TrustView {
  const none = (detail: string): TrustView => ({
    host: view.name,
    root: null,
    keyring: null,
    verified: false,
    behind: [],
    detail,
  });
  if (!view.trustReport) return none('no trust report (an agent before trust reports?)');
  if (!hostKey) return none('no approved key to verify its trust report');
  const v = verifyTrustReport(view.trustReport, view.name, hostKey, verifier);
  if (!v.ok) return none(`trust report does not verify: ${v.detail ?? v.reason}`);
  const { root, keyring } = v.value;
  const behind: string[] = [];
  if (newest && root < newest.root) behind.push(`root v${root} < v${newest.root}`);
  if (newest && (keyring ?? 0) < newest.keyring)
    behind.push(`keyring ${keyring === null ? 'none' : `v${keyring}`} < v${newest.keyring}`);
  return { host: view.name, root, keyring, verified: true, behind, detail: null };
}
