import { z } from 'zod';
import { utf8Decode } from '../encoding.js';
import { ATTESTATION_LIMITS } from './dsse-envelope.js';
import { firstDuplicateMember } from './duplicate-members.js';

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

/**
 * in-toto Statement v1. It is not ours: members we do not read are allowed (a predicate is
 * whatever its type says), but what we read has one shape.
 */
const resourceDescriptor = z.looseObject({
  name: z.string().max(1024).optional(),
  digest: z.record(z.string().min(1).max(64), z.string().min(1).max(1024)),
});

export const inTotoStatement = z.looseObject({
  _type: z.literal(IN_TOTO_STATEMENT_V1),
  subject: z.array(resourceDescriptor).min(1).max(ATTESTATION_LIMITS.subjects),
  predicateType: z.string().min(1).max(1024),
  predicate: z.record(z.string(), z.unknown()).optional(),
});
export type InTotoStatement = z.infer<typeof inTotoStatement>;

function depthWithin(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    if (c === '{' || c === '[') {
      if (++depth > max) return false;
    } else if (c === '}' || c === ']') depth--;
  }
  return true;
}

/** The statement in the exact signed bytes, or why it cannot be read one way only. Never throws. */
export function parseStatement(
  bytes: Uint8Array,
): { ok: true; statement: InTotoStatement } | { ok: false; detail: string } {
  let text: string;
  let value: unknown;
  try {
    text = utf8Decode(bytes);
    if (!depthWithin(text, ATTESTATION_LIMITS.depth))
      return { ok: false, detail: 'the statement is nested too deeply' };
    value = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'the statement is not UTF-8 JSON' };
  }
  const repeated = firstDuplicateMember(text);
  if (repeated !== undefined)
    return { ok: false, detail: `the statement repeats the member "${repeated.slice(0, 64)}"` };
  const parsed = inTotoStatement.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, detail: `statement ${issue?.path.join('.')}: ${issue?.message}` };
  }
  return { ok: true, statement: parsed.data };
}

/** Whether a subject of the statement names this sha256 digest (hex compares case-blind). */
export function attestsDigest(statement: InTotoStatement, sha256: string): boolean {
  return statement.subject.some((s) => s.digest.sha256?.toLowerCase() === sha256);
}
