import type { AdmissionCode, Refusal } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import type { DeployRequest } from '../schemas/deploy.js';
import type { VerifiedKeyring } from '../trust/keyring.js';
import { sslibKeyId } from './sslib-keyid.js';
import { attestsDigest } from './statement.js';
import type { AttestingKey } from './verify-attestation.js';
import { verifyAttestation } from './verify-attestation.js';

export type AttestationCode = Extract<
  AdmissionCode,
  'ATTESTATION_REQUIRED' | 'ATTESTATION_INVALID'
>;

export type AttestationCheck = { ok: true; builders: string[] } | Refusal<AttestationCode>;

/** The builder keys the keyring lets attest this app. */
export function buildersFor(keyring: VerifiedKeyring, app: string): AttestingKey[] {
  return (keyring.keyring.builders ?? []).flatMap((b) => {
    const publicKey = keyring.builderKeys.get(b.keyId);
    const mayAttest = b.apps.includes('*') || b.apps.includes(app);
    if (!publicKey || !mayAttest) return [];
    return [{ name: b.name, publicKey, hints: [b.keyId, sslibKeyId(publicKey)] }];
  });
}

/**
 * Rule 10: an app whose keyring policy requires an attestation deploys only an artifact
 * digest that a builder the keyring lists for the app signed an in-toto statement about.
 * Apps without the requirement pass untouched (nothing is checked that nobody asked for).
 * It runs after rule 2b, so only a request an authorized operator signed costs verifications
 * here (at most signatures × builders), never one the hub made up. Pure; never throws.
 */
export function checkAttestation(
  request: DeployRequest,
  keyring: VerifiedKeyring,
  verifier: Verifier,
): AttestationCheck {
  const refuse = (code: AttestationCode, detail: string): Refusal<AttestationCode> => ({
    ok: false,
    code,
    detail,
  });
  if (keyring.keyring.policies[request.app]?.requireAttestation !== true)
    return { ok: true, builders: [] };
  const { artifact, attestation } = request;
  if (!artifact)
    return refuse('ATTESTATION_REQUIRED', `${request.app} requires an attested artifact digest`);
  if (!attestation)
    return refuse('ATTESTATION_REQUIRED', `${request.app} requires a builder's attestation`);
  const verdict = verifyAttestation(attestation, buildersFor(keyring, request.app), verifier);
  if (!verdict.ok) return refuse('ATTESTATION_INVALID', verdict.detail);
  if (!attestsDigest(verdict.statement, artifact.sha256))
    return refuse(
      'ATTESTATION_INVALID',
      `the attestation names no subject with the artifact's digest sha256:${artifact.sha256}`,
    );
  return { ok: true, builders: verdict.signers.map((s) => s.name) };
}
