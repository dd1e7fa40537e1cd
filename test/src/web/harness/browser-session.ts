import type { Browser, Page } from 'playwright-core';

/**
 * A fresh browser context (its own IndexedDB, so its own key) with one page whose console
 * errors and uncaught exceptions land in `errors`: dashboard pages must not fail quietly.
 */
export async function openRecordedPage(
  browser: Browser,
  errors: string[],
  viewport = { width: 1440, height: 1000 },
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return page;
}

/** The role the hub gave this page's session, as the status bar shows it. */
export const authOf = (page: Page) =>
  page.locator('[data-testid=key-status]').getAttribute('data-auth');

/** Imports a key file written by the CLI on the Keys page, which logs the page in with it. */
export async function importKeyFile(
  page: Page,
  dashboardUrl: string,
  keyFile: string,
  passphrase: string,
): Promise<void> {
  await page.goto(`${dashboardUrl}/keys`);
  await page.getByRole('radio', { name: 'Import a key file' }).click();
  await page.setInputFiles('#key-file', keyFile);
  await page.fill('#import-pass', passphrase);
  await page.click('[data-testid=import-submit]');
}
