/**
 * Why an operator's client refuses input before anything is signed. The protocol's own
 * codes (admission, trust, hub) live in core; these never cross the wire.
 */
export const CLIENT_CODES = [
  'BAD_APP',
  'BAD_VERSION',
  'BAD_SELECTOR',
  'BAD_HOSTS',
  'TARGET_AMBIGUOUS',
  'TARGET_REQUIRED',
  'BAD_DURATION',
  'BAD_AMOUNT',
  'LIFETIME_TOO_LONG',
  'BAD_OPTION',
] as const;
export type ClientCode = (typeof CLIENT_CODES)[number];

/** A refusal people can act on: a stable code, and a detail naming what was expected and found. */
export interface Refusal {
  code: ClientCode;
  detail: string;
}

export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export const refuse = (code: ClientCode, detail: string): { ok: false } & Refusal => ({
  ok: false,
  code,
  detail,
});
