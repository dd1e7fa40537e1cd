import { plural } from '@serfbort/client';
import type { KeyringDocument, RootDocument } from '@serfbort/core';
import { relativeTime } from '../config/duration.js';
import type { Colors } from '../output/output.js';
import type { Tally } from './signature-status.js';

const WEEK = 7 * 24 * 60 * 60 * 1000;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** An expiry people notice: red when past, yellow within a week. */
export function expiryText(expiresAt: number, now: number, c: Colors): string {
  const text = `${iso(expiresAt)} (${relativeTime(expiresAt, now)})`;
  if (expiresAt <= now) return c.red(c.bold(`${text} EXPIRED`));
  if (expiresAt - now < WEEK) return c.yellow(`${text} — renew soon`);
  return text;
}

export const expiresSoon = (expiresAt: number, now: number): boolean => expiresAt - now < WEEK;

export function describeRoot(doc: RootDocument, now: number, c: Colors): string[] {
  return [
    `${c.bold('root')} v${doc.version}: ${doc.threshold} of ${doc.keys.length} root keys must sign`,
    `  issued  ${iso(doc.issuedAt)}`,
    `  expires ${expiryText(doc.expiresAt, now, c)}`,
    ...doc.keys.map((k) => `  key ${k.keyId}${k.name ? ` (${k.name})` : ''}`),
  ];
}

export function describeKeyring(doc: KeyringDocument, now: number, c: Colors): string[] {
  const policies = Object.entries(doc.policies);
  return [
    `${c.bold('keyring')} v${doc.version}: ${plural(doc.operators.length, 'operator')}`,
    `  issued  ${iso(doc.issuedAt)}`,
    `  expires ${expiryText(doc.expiresAt, now, c)}`,
    ...doc.operators.map(
      (op) =>
        `  operator ${c.bold(op.name)} ${op.keyId} apps=${op.apps.join(',')} selectors=${op.selectors.map((s) => `'${s}'`).join(' ')}${
          op.expiresAt !== undefined ? ` until ${iso(op.expiresAt)}` : ''
        }`,
    ),
    ...(policies.length === 0 ? ['  policies: every app needs 1 operator signature'] : []),
    ...policies.map(
      ([app, p]) =>
        `  policy ${app}: ${p.threshold} operator signatures${p.requireAttestation ? ", and a listed builder's attestation of the artifact" : ''}`,
    ),
    ...(doc.builders ?? []).map(
      (b) => `  builder ${c.bold(b.name)} ${b.keyId} apps=${b.apps.join(',')}`,
    ),
  ];
}

export function tallyText(label: string, t: Tally, c: Colors): string {
  const state = t.have >= t.need ? c.green('complete') : c.yellow(`needs ${t.need - t.have} more`);
  return `${label}: ${t.have} of ${t.need} signatures (${state})`;
}
