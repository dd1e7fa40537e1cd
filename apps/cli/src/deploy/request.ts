import { randomBytes } from 'node:crypto';
import type { DeployField } from '@serfbort/client';
import { prepareDeployRequest } from '@serfbort/client';
import type { ArtifactRef, DeployRequest, Envelope, KeyPair, Target } from '@serfbort/core';
import {
  deployRequest,
  openEnvelope,
  PAYLOAD_TYPES,
  randomId,
  sha256Hex,
  signPayload,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { usageError } from '../errors.js';

export interface RequestSpec {
  app: string;
  version: string;
  target: Target;
  lifetimeMs: number;
  expect?: string;
  artifact?: ArtifactRef;
}

/** The lifetime's detail does not name its flag; the others name their field already. */
const FLAG: Partial<Record<DeployField, string>> = { lifetime: '--expires: ', artifact: '--' };

const randomRequestId = (): string => randomId(randomBytes);

/**
 * client's pre-checks, then its one builder: what the dashboard signs for the same input.
 * A refusal is a usage error naming the flag.
 */
export function buildRequest(
  spec: RequestSpec,
  signers: readonly KeyPair[],
  now: number,
  newId: () => string = randomRequestId,
): DeployRequest {
  const prepared = prepareDeployRequest(spec, {
    now: () => now,
    newId,
    signerIds: signers.map((k) => k.keyId),
  });
  if (!prepared.ok) {
    const first = prepared.refusals[0]!;
    throw usageError(first.code, `${FLAG[first.field] ?? ''}${first.detail}`);
  }
  return prepared.request;
}

export function signRequest(request: DeployRequest, keys: readonly KeyPair[]): Envelope {
  return signPayload(PAYLOAD_TYPES.deploy, request, keys.map(nodeSigner));
}

export interface OpenedRequest {
  envelope: Envelope;
  payloadBytes: Uint8Array;
  request: DeployRequest;
  /** SHA-256 of the signed bytes: what receipts must name */
  digest: string;
}

/** A signed request read back (from a file, or from what we just signed): exact bytes, then schema. */
export function openRequest(envelope: unknown, source: string): OpenedRequest {
  const opened = openEnvelope(envelope, PAYLOAD_TYPES.deploy);
  if (!opened.ok)
    throw usageError('FILE_INVALID', `${source}: not a signed deploy request (${opened.reason})`);
  const parsed = deployRequest.safeParse(opened.value.payload);
  if (!parsed.success)
    throw usageError(
      'FILE_INVALID',
      `${source}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  return {
    envelope: opened.value.envelope,
    payloadBytes: opened.value.payloadBytes,
    request: parsed.data,
    digest: sha256Hex(opened.value.payloadBytes),
  };
}
