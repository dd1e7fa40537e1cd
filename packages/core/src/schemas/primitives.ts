import { z } from 'zod';
import { LIMITS } from '../limits.js';

/** Milliseconds since the Unix epoch; integers only, so signed JSON has no floats. */
export const timestamp = z.number().int().min(0).max(8_640_000_000_000_000);
export const keyId = z.string().regex(/^[0-9a-f]{32}$/, 'a key id is 32 lowercase hex characters');
/** A raw 32-byte Ed25519 public key, base64 */
export const publicKeyB64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'a public key is 32 bytes of base64');
export const hostName = z
  .string()
  .max(LIMITS.hostNameChars)
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
    'a host name is lowercase letters, digits, dots and dashes',
  );
export const appName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'an app name starts with a letter: a-z, 0-9, _ and -');
/**
 * Kubernetes label keys: an optional prefix that is a DNS subdomain (dot-separated parts,
 * each starting and ending with a letter or digit, 253 characters at most), a slash, then a
 * name of 63 characters at most. `a..b/k` or `a-.b/k` are refused, as Kubernetes refuses them.
 */
const dnsLabel = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const labelName = '[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?';
export const labelKey = z
  .string()
  .max(317)
  .regex(new RegExp(`^((${dnsLabel})(\\.${dnsLabel})*/)?${labelName}$`), 'not a valid label key')
  .refine(
    (key) => !key.includes('/') || key.indexOf('/') <= 253,
    'a label key prefix is 253 characters at most',
  );
export const labelValue = z
  .string()
  .regex(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, 'not a valid label value');
export const labels = z
  .record(labelKey, labelValue)
  .refine(
    (l) => Object.keys(l).length <= LIMITS.labelsPerHost,
    `at most ${LIMITS.labelsPerHost} labels`,
  );
export type Labels = z.infer<typeof labels>;
export const requestId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'an id is 8-64 characters of A-Z a-z 0-9 _ -');
/** Wire form of versions: bounded here, judged by the strict validator (rule 9) */
export const versionText = z.string().max(1024);
export const shortText = (max: number) => z.string().max(max);
