import type { InputCode } from '@serfbort/core';

/**
 * Why an operator's client refuses input before anything is signed: core's input codes,
 * plus rule 9's BAD_VERSION, caught here before signing rather than by every agent, and the
 * hub's NO_MATCHING_HOSTS, heard before signing rather than after.
 */
export type ClientCode = InputCode | 'BAD_VERSION' | 'NO_MATCHING_HOSTS';

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
