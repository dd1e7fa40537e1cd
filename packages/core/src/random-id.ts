import { toBase64Url } from './encoding.js';

/** bytes of a request or rollout id: 128 bits, 22 base64url characters */
export const ID_BYTES = 16;

/**
 * A random request or rollout id (or a token), base64url, that never begins with `-` or
 * `_`. People pass ids as command-line arguments (`serfbort rollout abort ID`), where a
 * leading dash reads as an option: CI once drew `-iqQaw9…`, and the abort was refused as
 * an unknown option. One draw in 32 is drawn again; what is left is uniform over the ids
 * that begin with a letter or a digit. Ids made before this still parse (the schema
 * allows them); pass such an id after `--`.
 */
export function randomId(randomBytes: (n: number) => Uint8Array, bytes = ID_BYTES): string {
  for (let attempt = 0; attempt < 64; attempt++) {
    const id = toBase64Url(randomBytes(bytes));
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
  // 64 leading dashes in a row is a broken random source, not bad luck
  throw new Error('the random source keeps drawing ids that begin with - or _');
}
