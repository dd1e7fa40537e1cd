import type { DeployRequest } from '@serfbort/core';
import { canonicalBytes, sha256Hex, utf8Decode } from '@serfbort/core';

export interface SignedBytes {
  /** the exact bytes that get signed (RFC 8785 canonical JSON) */
  bytes: Uint8Array;
  /** those bytes as text, shown to the operator before signing */
  text: string;
  /** SHA-256 of the bytes: what every receipt for the request must name */
  digest: string;
}

/** Freezes a request's bytes once: the confirmation shows them and the signature covers them. */
export function signedBytesOf(request: DeployRequest): SignedBytes {
  const bytes = canonicalBytes(request);
  return { bytes, text: utf8Decode(bytes), digest: sha256Hex(bytes) };
}
