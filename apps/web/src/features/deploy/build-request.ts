import { prepareDeployRequest, RequestRefused, type SignedBytes } from '@serfbort/client';
import { type ArtifactRef, type DeployRequest, LIMITS, type Target } from '@serfbort/core';
// relative, not '@/lib/crypto': the faces-agree test in test/ imports this module without the '@' alias
import { newRequestId } from '../../lib/crypto';

export interface DeployDraft {
  app: string;
  version: string;
  target: Target;
  lifetimeMs: number;
  expect?: string;
  /** the exact bytes to deploy: digest and size, pasted or computed from a file in the browser */
  artifact?: ArtifactRef;
}

/** Whether a pasted digest and size make an artifact, and which; null when both are empty. */
export function artifactVerdict(
  sha256: string,
  size: string,
): { ok: true; artifact: ArtifactRef } | { ok: false; reason: string } | null {
  if (sha256 === '' && size === '') return null;
  if (!/^[0-9a-f]{64}$/.test(sha256))
    return { ok: false, reason: 'a SHA-256 digest is 64 hex characters' };
  if (!/^\d{1,16}$/.test(size) || !Number.isSafeInteger(Number(size)))
    return { ok: false, reason: 'the size is a whole number of bytes' };
  return { ok: true, artifact: { sha256, size: Number(size) } };
}

/** SHA-256 and size of a file the operator picked, computed in the browser (read whole). */
export async function digestFile(file: Blob): Promise<{ sha256: string; size: number }> {
  const bytes = await file.arrayBuffer();
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const sha256 = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { sha256, size: bytes.byteLength };
}

export interface PreparedRequest extends SignedBytes {
  request: DeployRequest;
}

/** Every choice is within the protocol's limit: the builder refuses longer, it never clamps. */
export const EXPIRY_CHOICES = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 60 * 60_000 },
  { label: '6 hours', ms: 6 * 60 * 60_000 },
  { label: '24 hours', ms: 24 * 60 * 60_000 },
  { label: '7 days', ms: LIMITS.maxRequestLifetimeMs },
] as const;

/**
 * Checks the draft with client's pre-checks (the CLI's), builds the request once with
 * client's one builder, and freezes its bytes: the confirmation shows these bytes and the
 * signature covers these bytes, nothing else. Throws client's RequestRefused for input the
 * form lets through only by mistake (its fields check the same rules as they are typed).
 */
export function prepareRequest(
  draft: DeployDraft,
  keyId: string,
  now: number,
  newId: () => string = newRequestId,
): PreparedRequest {
  // an empty expected result is no expectation: the field is left out, as the CLI does
  const { expect, ...fields } = draft;
  const prepared = prepareDeployRequest(
    { ...fields, ...(expect ? { expect } : {}) },
    { now: () => now, newId, signerIds: [keyId] },
  );
  if (!prepared.ok) {
    const first = prepared.refusals[0]!;
    throw new RequestRefused(first.code, first.detail);
  }
  return {
    request: prepared.request,
    bytes: prepared.bytes,
    text: prepared.text,
    digest: prepared.digest,
  };
}
