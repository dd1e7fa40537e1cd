import type { ArtifactRef, DeployRequest, DsseEnvelope, Target } from '@serfbort/core';
import type { Checked, ClientCode } from '../codes.js';
import { checkLifetime } from './lifetime.js';

/** What the operator chose; everything else in a request comes from the source. */
export interface DeployFields {
  app: string;
  version: string;
  target: Target;
  /** ms from issue to expiry */
  lifetimeMs: number;
  expect?: string;
  /** the exact bytes to deploy (digest and size, computed by the caller from the file) */
  artifact?: ArtifactRef;
  /** a builder's in-toto attestation of the artifact, carried inside the signature */
  attestation?: DsseEnvelope;
  /** a rollout's step: the rollout, the step's index and the number of steps */
  rollout?: NonNullable<DeployRequest['rollout']>;
}

/** Time, randomness and keys are passed in: client does no I/O, and tests pin them. */
export interface RequestSource {
  now(): number;
  /** a fresh random request id */
  newId(): string;
  /** key ids of the keys that sign: the operator's, then co-signers' */
  signerIds: readonly string[];
}

/**
 * The one deploy request builder of the CLI, the dashboard and the rollout driver.
 * Signer ids are de-duplicated (two files of one key sign once); an over-long lifetime is refused.
 */
export function buildDeployRequest(
  fields: DeployFields,
  src: RequestSource,
): Checked<DeployRequest> {
  const lifetime = checkLifetime(fields.lifetimeMs);
  if (!lifetime.ok) return lifetime;
  const now = src.now();
  return {
    ok: true,
    value: {
      type: 'deploy',
      id: src.newId(),
      app: fields.app,
      version: fields.version,
      target: fields.target,
      issuedAt: now,
      expiresAt: now + lifetime.value,
      signers: [...new Set(src.signerIds)],
      ...(fields.expect !== undefined ? { expect: fields.expect } : {}),
      ...(fields.artifact ? { artifact: { ...fields.artifact } } : {}),
      ...(fields.attestation ? { attestation: fields.attestation } : {}),
      ...(fields.rollout ? { rollout: { ...fields.rollout } } : {}),
    },
  };
}

/** A builder refusal for callers that cannot go on without a request. */
export class RequestRefused extends Error {
  constructor(
    readonly code: ClientCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'RequestRefused';
  }
}

export function deployRequestOrThrow(fields: DeployFields, src: RequestSource): DeployRequest {
  const built = buildDeployRequest(fields, src);
  if (!built.ok) throw new RequestRefused(built.code, built.detail);
  return built.value;
}
