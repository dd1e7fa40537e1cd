import { base64, base64urlnopad, hex, utf8 } from '@scure/base';
import canonicalize from 'canonicalize';

/** Strict base64 (RFC 4648 with padding); throws on anything else. */
export const toBase64 = (bytes: Uint8Array): string => base64.encode(bytes);
export const fromBase64 = (text: string): Uint8Array => base64.decode(text);
export const toBase64Url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);
export const toHex = (bytes: Uint8Array): string => hex.encode(bytes);
export const fromHex = (text: string): Uint8Array => hex.decode(text);
export const utf8Encode = (text: string): Uint8Array => utf8.decode(text);
export const utf8Decode = (bytes: Uint8Array): string =>
  new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/** Decodes base64 without throwing: hostile input is an expected case, not an exception. */
export function tryFromBase64(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return base64.decode(text);
  } catch {
    return undefined;
  }
}

/**
 * The bytes that get signed: RFC 8785 canonical JSON, so the same object always signs
 * to the same bytes in the browser and in Node. Verification never re-serializes: it
 * checks the exact bytes that travelled.
 */
export function canonicalBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return utf8Encode(text);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
