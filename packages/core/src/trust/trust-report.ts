import type { Verifier } from '../crypto/policy.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { Result } from '../envelope/verify.js';
import { fail, ok, verifyEnvelope } from '../envelope/verify.js';
import { keyIdOf } from '../keys/key-id.js';
import type { TrustReport } from '../schemas/agents.js';
import { trustReport } from '../schemas/agents.js';

/**
 * A host's trust report, believed only when signed by that host's key and naming that
 * host: the hub that stores and relays it cannot change a version in it.
 */
export function verifyTrustReport(
  input: unknown,
  host: string,
  hostKey: Uint8Array,
  verifier: Verifier,
): Result<TrustReport, string> {
  const keyId = keyIdOf(hostKey);
  const v = verifyEnvelope(
    input,
    PAYLOAD_TYPES.trustReport,
    (k) => (k === keyId ? hostKey : undefined),
    verifier,
  );
  if (!v.ok) return fail(v.reason, v.detail ?? v.reason);
  const parsed = trustReport.safeParse(v.value.payload);
  if (!parsed.success) return fail('MALFORMED', 'trust report: malformed');
  if (parsed.data.host !== host)
    return fail('WRONG_HOST', `the trust report is ${parsed.data.host}'s, not ${host}'s`);
  return ok(parsed.data);
}
