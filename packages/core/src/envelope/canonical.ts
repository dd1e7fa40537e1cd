import { canonicalBytes, equalBytes } from '../encoding.js';

const OWN_TYPE_PREFIX = 'application/vnd.serfbort.';

/** serfbort's own payload types: their signers always produce RFC 8785 canonical JSON. */
export function isOwnPayloadType(payloadType: string): boolean {
  return payloadType.startsWith(OWN_TYPE_PREFIX);
}

/**
 * True when `bytes` are exactly the canonical form of what they parsed to. A repeated
 * member (`{"app":"a","app":"b"}`) parses last-one-wins in JSON.parse and first-one-wins
 * elsewhere, so a reviewer and an agent could read one signature two ways; canonical bytes
 * have one reading only, and our signers already produce them.
 */
export function isCanonicalJson(bytes: Uint8Array, parsed: unknown): boolean {
  try {
    return equalBytes(canonicalBytes(parsed), bytes);
  } catch {
    return false;
  }
}
