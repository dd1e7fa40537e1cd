import { HISTORY_LIMITS } from '@serfbort/core';
import type { z } from 'zod';

/*
 * URL query strings for the JSON API, turned into the same objects the socket events
 * take, so one zod schema (in core) judges both. Numbers that do not parse stay
 * strings and are refused by the schema with its message.
 */
const NUMERIC = new Set(['limit', 'before', 'from', 'to', 'days']);

function pick(params: URLSearchParams, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of params) {
    if (!keys.includes(k)) {
      out[k] = v; // kept so the strict schema names the unknown parameter
      continue;
    }
    out[k] = NUMERIC.has(k) && /^\d{1,16}$/.test(v) ? Number(v) : v;
  }
  return out;
}

export function listQueryOf(p: URLSearchParams): Record<string, unknown> {
  const q = pick(p, [
    'limit',
    'app',
    'before',
    'outcome',
    'host',
    'search',
    'from',
    'to',
    'cursor',
  ]);
  // this API always capped a large limit instead of refusing it
  if (typeof q.limit === 'number') q.limit = Math.min(q.limit, HISTORY_LIMITS.pageRows);
  return q;
}

export const statsQueryOf = (p: URLSearchParams) => pick(p, ['app', 'days', 'to']);

export function parseQuery<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${where}${issue?.message ?? 'not a valid query'}` };
}
