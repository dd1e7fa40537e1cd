import { plural } from '@serfbort/client';
import type { RootDocument, TrustedKey } from '@serfbort/core';
import { fromBase64, LIMITS, sha256Hex } from '@serfbort/core';
import { usageError } from '../errors.js';
import { readPublicKey } from '../keys/public-key-input.js';
import { describeRoot, tallyText } from '../trust/describe.js';
import { rootTallies } from '../trust/signature-status.js';
import type { Ctx } from './context.js';

export function checkKeySet(keys: TrustedKey[], threshold: number): void {
  if (keys.length === 0) throw usageError('KEY_REQUIRED', 'a root needs at least one key');
  if (keys.length > LIMITS.rootKeys)
    throw usageError('TOO_MANY_KEYS', `a root lists at most ${LIMITS.rootKeys} keys`);
  if (threshold > keys.length)
    throw usageError(
      'BAD_THRESHOLD',
      `threshold ${threshold} is more than the ${plural(keys.length, 'listed key')}`,
    );
}

export function dedupe(keys: TrustedKey[]): TrustedKey[] {
  return [...new Map(keys.map((k) => [k.keyId, k])).values()];
}

/** A root key given as base64 or as a key file, with its name when the file has one. */
export function listedKey(input: string): TrustedKey {
  const k = readPublicKey(input);
  return { keyId: k.keyId, publicKey: k.publicKey, ...(k.name ? { name: k.name } : {}) };
}

/** What was written, whose signatures it still needs, and the next command. */
export function report(
  ctx: Ctx,
  out: string,
  envelope: Parameters<typeof rootTallies>[0],
  doc: RootDocument,
  previous?: RootDocument,
) {
  const t = rootTallies(envelope, doc, previous);
  const digest = sha256Hex(fromBase64(envelope.payload));
  const done = t.own.have >= t.own.need && (!t.previous || t.previous.have >= t.previous.need);
  if (ctx.out.json)
    return ctx.out.document({
      path: out,
      kind: 'root',
      version: doc.version,
      digest,
      root: doc,
      signatures: t,
      complete: done,
    });
  for (const line of describeRoot(doc, ctx.now(), ctx.out.c)) ctx.out.line(line);
  ctx.out.line(tallyText(`v${doc.version}'s own keys`, t.own, ctx.out.c));
  if (t.previous && previous)
    ctx.out.line(tallyText(`v${previous.version}'s keys`, t.previous, ctx.out.c));
  ctx.out.line(`wrote ${out}   digest ${digest}`);
  ctx.out.line(
    done
      ? `next: serfbort trust publish ${out}`
      : `next: the other administrators run: serfbort trust sign ${out} --root-key THEIR_KEY`,
  );
}
