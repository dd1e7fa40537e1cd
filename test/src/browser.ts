import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this sandbox needs (no downloads, no background traffic). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * Collects a page's console errors and uncaught exceptions as `page URL: message (resource)`.
 * The resource matters: Chrome's "Failed to load resource" names only the page otherwise, and
 * the page is rarely what failed (issue 19: it was /favicon.ico, asked for by Chrome itself,
 * which Playwright's network events never show).
 */
export function collectConsoleErrors(page: Page, into: string[]): void {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const resource = m.location().url;
    into.push(`${page.url()}: ${m.text()}${resource ? ` (${resource})` : ''}`);
  });
  page.on('pageerror', (e) => into.push(`${page.url()}: ${e.message}`));
}

/**
 * From the next page load on, records every moment (after a DOM change) at which the loaded
 * page had no icon link: Chrome then asks for /favicon.ico by itself (issue 19's flake).
 */
export async function watchPageIcon(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __iconless: seen });
    new MutationObserver(() => {
      if (document.readyState === 'loading' || !document.head) return;
      if (!document.head.querySelector('link[rel~="icon"]')) seen.push(location.pathname);
    }).observe(document, { childList: true, subtree: true });
  });
}

/** The paths at which the page was seen without an icon since it loaded (see watchPageIcon). */
export function iconlessMoments(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __iconless?: string[] }).__iconless ?? []);
}
