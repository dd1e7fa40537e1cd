import type { AdmissionCode } from '../codes.js';
import type { Target } from '../schemas/deploy.js';
import type { KeyringDocument, OperatorEntry } from '../schemas/trust-docs.js';
import type { HostIdentity } from '../selector/match.js';
import { matchesSelector, selectorWithin } from '../selector/match.js';
import { parseSelector } from '../selector/parse.js';

export interface AuthorizationQuery {
  app: string;
  target: Target;
  /** verified signer key ids, one per distinct key */
  signers: readonly string[];
  now: number;
  /**
   * The hosts the request will act on. An agent passes itself: its own labels must fall
   * in the operator's scope. Without hosts, a selector target must be provably inside it.
   */
  hosts?: readonly HostIdentity[];
}

function mayDeployApp(op: OperatorEntry, app: string): boolean {
  return op.apps.includes('*') || op.apps.includes(app);
}

function mayTarget(op: OperatorEntry, target: Target, hosts?: readonly HostIdentity[]): boolean {
  if (op.selectors.includes('*')) return true;
  const scopes = op.selectors.map(parseSelector).flatMap((p) => (p.ok ? [p.selector] : []));
  if (hosts) return hosts.every((h) => scopes.some((s) => matchesSelector(s, h.labels)));
  if ('hosts' in target) return false;
  const requested = parseSelector(target.selector);
  return requested.ok && scopes.some((s) => selectorWithin(requested.selector, s));
}

export function operatorsAllowed(keyring: KeyringDocument, q: AuthorizationQuery): OperatorEntry[] {
  return keyring.operators.filter(
    (op) =>
      q.signers.includes(op.keyId) &&
      (op.expiresAt === undefined || op.expiresAt > q.now) &&
      mayDeployApp(op, q.app) &&
      mayTarget(op, q.target, q.hosts),
  );
}

/**
 * Rule 2's second half: enough distinct allowed keys for the app's threshold. Keyring entries
 * are not keys: one key under two names is still one signature.
 */
export function authorize(
  keyring: KeyringDocument,
  q: AuthorizationQuery,
):
  | { ok: true; operators: OperatorEntry[] }
  | {
      ok: false;
      reason: Extract<AdmissionCode, 'SIGNER_NOT_ALLOWED' | 'THRESHOLD_NOT_MET'>;
      detail: string;
    } {
  const allowed = operatorsAllowed(keyring, q);
  const threshold = keyring.policies[q.app]?.threshold ?? 1;
  if (allowed.length === 0)
    return {
      ok: false,
      reason: 'SIGNER_NOT_ALLOWED',
      detail: `no signer may deploy ${q.app} to this target`,
    };
  const distinctKeys = new Set(allowed.map((op) => op.keyId)).size;
  if (distinctKeys < threshold)
    return {
      ok: false,
      reason: 'THRESHOLD_NOT_MET',
      detail: `${q.app} needs ${threshold} operator signatures, got ${distinctKeys}`,
    };
  return { ok: true, operators: allowed };
}
