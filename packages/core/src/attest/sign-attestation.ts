import { toBase64, utf8Encode } from '../encoding.js';
import { pae } from '../envelope/pae.js';
import type { Signer } from '../keys/signer.js';
import type { DsseEnvelope } from './dsse-envelope.js';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse-envelope.js';
import { sslibKeyId } from './sslib-keyid.js';
import type { InTotoStatement } from './statement.js';
import { IN_TOTO_STATEMENT_V1 } from './statement.js';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SERFBORT_BUILD_TYPE = 'https://serfbort.dev/attest/v1';

/**
 * A minimal SLSA provenance statement for one file: what `serfbort attest` knows is the
 * file's name and digest, and which key vouches for it. A pipeline that knows more (source,
 * parameters) writes its own statement in the same format.
 */
export function artifactStatement(
  subject: { name: string; sha256: string },
  builderId: string,
): InTotoStatement {
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: subject.name, digest: { sha256: subject.sha256 } }],
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: { buildType: SERFBORT_BUILD_TYPE, externalParameters: {} },
      runDetails: { builder: { id: builderId } },
    },
  };
}

/** Signs a statement as DSSE with in-toto's payload type, key ids as securesystemslib spells them. */
export function signStatement(
  statement: InTotoStatement,
  signers: readonly Signer[],
): DsseEnvelope {
  const payload = utf8Encode(JSON.stringify(statement));
  const message = pae(IN_TOTO_PAYLOAD_TYPE, payload);
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: toBase64(payload),
    signatures: signers.map((s) => ({
      keyid: sslibKeyId(s.publicKey),
      sig: toBase64(s.sign(message)),
    })),
  };
}
