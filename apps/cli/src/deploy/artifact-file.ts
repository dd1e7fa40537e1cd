import type { ArtifactRef, DsseEnvelope } from '@serfbort/core';
import { attestsDigest, dsseEnvelope, fromDsseBase64, parseStatement } from '@serfbort/core';
import { usageError } from '../errors.js';
import { readJsonFile } from '../trust/doc-file.js';

/**
 * An attestation file for a deploy. Checked here only for shape and that it names the
 * artifact, so a wrong file is caught before anything is signed; the agents judge its signatures.
 */
export function readAttestation(path: string, artifact: ArtifactRef | undefined): DsseEnvelope {
  if (!artifact) throw usageError('BAD_OPTION', '--attestation goes with --artifact');
  const parsed = dsseEnvelope.safeParse(readJsonFile(path, 'attestation'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(
      'FILE_INVALID',
      `${path}: not a DSSE envelope (${issue?.path.join('.')}: ${issue?.message})`,
    );
  }
  const bytes = fromDsseBase64(parsed.data.payload);
  const read = bytes ? parseStatement(bytes) : { ok: false as const, detail: 'not base64' };
  if (!read.ok) throw usageError('ATTESTATION_INVALID', `${path}: ${read.detail}`);
  if (!attestsDigest(read.statement, artifact.sha256))
    throw usageError(
      'ATTESTATION_INVALID',
      `${path} attests no subject with sha256:${artifact.sha256} (the --artifact file)`,
    );
  return parsed.data;
}
