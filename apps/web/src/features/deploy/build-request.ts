import {
  canonicalBytes,
  type DeployRequest,
  LIMITS,
  sha256Hex,
  type Target,
  utf8Decode,
} from '@serfbort/core';
import { newRequestId } from '@/lib/crypto';

export interface DeployDraft {
  app: string;
  version: string;
  target: Target;
  lifetimeMs: number;
  expect?: string;
}

export interface PreparedRequest {
  request: DeployRequest;
  /** the exact bytes that get signed (RFC 8785 canonical JSON) */
  bytes: Uint8Array;
  /** those bytes as text, shown to the operator before signing */
  text: string;
  digest: string;
}

export const EXPIRY_CHOICES = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 60 * 60_000 },
  { label: '6 hours', ms: 6 * 60 * 60_000 },
  { label: '24 hours', ms: 24 * 60 * 60_000 },
  { label: '7 days', ms: LIMITS.maxRequestLifetimeMs },
] as const;

/**
 * Builds the request once, with a fresh id and times, and freezes its bytes: the
 * confirmation shows these bytes and the signature covers these bytes, nothing else.
 */
export function prepareRequest(draft: DeployDraft, keyId: string, now: number): PreparedRequest {
  const request: DeployRequest = {
    type: 'deploy',
    id: newRequestId(),
    app: draft.app,
    version: draft.version,
    target: draft.target,
    issuedAt: now,
    expiresAt: now + Math.min(draft.lifetimeMs, LIMITS.maxRequestLifetimeMs),
    signers: [keyId],
    ...(draft.expect ? { expect: draft.expect } : {}),
  };
  const bytes = canonicalBytes(request);
  return { request, bytes, text: utf8Decode(bytes), digest: sha256Hex(bytes) };
}
