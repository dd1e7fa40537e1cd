import type { Page } from 'playwright-core';

/** One value the dashboard keeps in IndexedDB (idb-keyval's default store), as JSON text. */
export function readIdb(page: Page, key: string): Promise<string | undefined> {
  return page.evaluate(
    (k) =>
      new Promise<string | undefined>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onsuccess = () => {
          const get = open.result.transaction('keyval').objectStore('keyval').get(k);
          get.onsuccess = () =>
            resolve(get.result === undefined ? undefined : JSON.stringify(get.result));
          get.onerror = () => reject(get.error);
        };
        open.onerror = () => reject(open.error);
      }),
    key,
  );
}

/** Sets one value in the dashboard's IndexedDB store, as the page itself would. */
export async function writeIdb(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    ([k, v]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onsuccess = () => {
          const tx = open.result.transaction('keyval', 'readwrite');
          tx.objectStore('keyval').put(v, k as string);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    [key, value] as const,
  );
}
