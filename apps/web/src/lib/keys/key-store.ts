import { type KeyFile, parseKeyFile } from '@serfbort/client';
import { del, get, set } from 'idb-keyval';

/**
 * The operator key lives in IndexedDB only in core's encrypted key-file format
 * (scrypt + xsalsa20-poly1305): the same bytes the CLI reads, and nothing a
 * page reading IndexedDB could use without the passphrase.
 */
const STORE_KEY = 'serfbort:operator-key-file';

export async function loadKeyFile(): Promise<KeyFile | null> {
  const stored = await get<unknown>(STORE_KEY);
  if (stored === undefined) return null;
  try {
    return parseKeyFile(stored);
  } catch {
    // a damaged entry is treated as absent; the user can import again
    return null;
  }
}

export async function saveKeyFile(file: KeyFile): Promise<void> {
  await set(STORE_KEY, file);
}

export async function deleteKeyFile(): Promise<void> {
  await del(STORE_KEY);
}

/** Offers the encrypted key file as a download, as the CLI would write it. */
export function downloadKeyFile(file: KeyFile): void {
  const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${file.name ?? 'operator'}-${file.keyId.slice(0, 8)}.key.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
