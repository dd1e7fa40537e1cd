import type { DeployRequest } from '@serfbort/core';
import { checkAttestation } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { Ctx } from '../context.js';
import type { VerifiedTrust } from '../hub/verified-trust.js';

/** Rule 10 as the agents will judge it, from the keyring the operator just verified: a warning before signing. */
export function warnIfUnattested(ctx: Ctx, trust: VerifiedTrust, request: DeployRequest): void {
  const verdict = checkAttestation(request, trust.keyring, nodeVerifier);
  if (verdict.ok) return;
  const hint =
    verdict.code === 'ATTESTATION_REQUIRED'
      ? ' (pass --artifact FILE --attestation FILE.intoto.json; a builder writes one with `serfbort attest`)'
      : '';
  ctx.out.warn(
    `keyring v${trust.keyring.keyring.version}: ${verdict.code}: ${verdict.detail}${hint}; agents will refuse it`,
  );
}
