import type { TrustCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import type { Envelope } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { Result } from '../envelope/verify.js';
import { fail, ok, openEnvelope, verifySignatures } from '../envelope/verify.js';
import type { KeyringDocument, RootDocument } from '../schemas/trust-docs.js';
import { keyringDocument } from '../schemas/trust-docs.js';
import { parseSelector } from '../selector/parse.js';
import { admitKeys, keyRefusal } from './keys.js';

export interface VerifiedKeyring {
  keyring: KeyringDocument;
  envelope: Envelope;
  /** operator key id → raw public key */
  operatorKeys: Map<string, Uint8Array>;
  /** builder key id → raw public key (empty when the keyring lists no builders) */
  builderKeys: Map<string, Uint8Array>;
}

export interface KeyringCheckOptions {
  now: number;
  /** the keyring held so far: a new one must have a higher version */
  previous?: KeyringDocument | null;
  /** re-checking the held keyring against a rotated root: an equal version is fine */
  allowSameVersion?: boolean;
}

/** A keyring is valid only if a threshold of the current root's keys signed it. */
export function verifyKeyring(
  root: RootDocument,
  envelope: unknown,
  verifier: Verifier,
  options: KeyringCheckOptions,
): Result<VerifiedKeyring, TrustCode> {
  const opened = openEnvelope(envelope, PAYLOAD_TYPES.keyring);
  if (!opened.ok) return fail('TRUST_MALFORMED', opened.detail ?? opened.reason);
  const parsed = keyringDocument.safeParse(opened.value.payload);
  if (!parsed.success)
    return fail(
      'TRUST_MALFORMED',
      `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const keyring = parsed.data;
  const previous = options.previous;
  if (
    previous &&
    (keyring.version < previous.version ||
      (keyring.version === previous.version && !options.allowSameVersion))
  ) {
    return fail(
      'TRUST_VERSION_NOT_NEWER',
      `keyring v${keyring.version} is not newer than v${previous.version}`,
    );
  }
  if (keyring.expiresAt <= options.now)
    return fail('TRUST_DOC_EXPIRED', `keyring v${keyring.version} expired`);
  const rootKeys = admitKeys(root.keys);
  if (!rootKeys.ok) return fail('TRUST_BAD_KEY', rootKeys.why);
  const signed = verifySignatures(opened.value, (id) => rootKeys.lookup.get(id), verifier);
  const count = signed.ok ? signed.value.signers.length : 0;
  if (count === 0)
    return fail(
      'TRUST_BAD_SIGNATURE',
      `keyring v${keyring.version} is not signed by root v${root.version}'s keys`,
    );
  if (count < root.threshold)
    return fail(
      'TRUST_THRESHOLD_NOT_MET',
      `keyring v${keyring.version} has ${count} of ${root.threshold} root signatures`,
    );
  const operators = admitKeys(keyring.operators);
  if (!operators.ok)
    return fail(keyRefusal(operators), `operator ${operators.keyId}: ${operators.why}`);
  for (const op of keyring.operators) {
    for (const s of op.selectors) {
      if (s !== '*' && !parseSelector(s).ok)
        return fail('TRUST_MALFORMED', `operator ${op.name}: selector '${s}' does not parse`);
    }
  }
  const builders = admitKeys(keyring.builders ?? []);
  if (!builders.ok) return fail(keyRefusal(builders), `builder ${builders.keyId}: ${builders.why}`);
  // an attestation requirement means two parties: a key that both builds and deploys is one
  const both = [...builders.lookup.keys()].find((id) => operators.lookup.has(id));
  if (both)
    return fail('TRUST_DUPLICATE_KEY', `key ${both} is listed both as an operator and a builder`);
  return ok({
    keyring,
    envelope: opened.value.envelope,
    operatorKeys: operators.lookup,
    builderKeys: builders.lookup,
  });
}
