import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import { type RunningHub, startHub } from '@serfbort/hub';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { collectConsoleErrors } from '../../browser.js';
import { ensureCliBuilt, serfbort } from './cli.js';
import { ensureDashboardBuilt, type RunningDashboard, startDashboard } from './dashboard.js';
import { freePort, type RunResult, repoRoot } from './processes.js';

export const ROOT_PASS = 'root passphrase for tests';
export const OPERATOR_PASS = 'correct horse battery staple';
/** screenshots, kept by CI */
export const artifacts = join(repoRoot, 'test/artifacts');

type HubInput = Parameters<typeof startHub>[0];

/** A CLI run that must succeed; its output is the failure message otherwise. */
export async function must(result: Promise<RunResult>): Promise<RunResult> {
  const r = await result;
  expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/** The hub the dashboard talks to: on 127.0.0.1, its data in dir, the dashboard's origin allowed. */
export function hubFor(dir: string, dashboardOrigin: string, port = 0): HubInput {
  return {
    port,
    host: '127.0.0.1',
    dataDir: join(dir, 'hub'),
    logLevel: 'silent',
    origins: [dashboardOrigin],
  };
}

export interface WebStack {
  dir: string;
  hub: RunningHub;
  web: RunningDashboard;
}

/** A temporary folder, a real hub and the production dashboard pointed at it. */
export async function startWebStack(
  prefix: string,
  hubExtra: Partial<HubInput> = {},
): Promise<WebStack> {
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  await Promise.all([ensureDashboardBuilt(), ensureCliBuilt()]);
  const webPort = await freePort();
  const hub = await startHub({ ...hubFor(dir, `http://127.0.0.1:${webPort}`), ...hubExtra });
  const web = await startDashboard({ port: webPort, hubUrl: hub.url });
  return { dir, hub, web };
}

/** Everything a web suite started, in reverse order; parts a failed start never made are skipped. */
export async function stopWebStack(parts: {
  browser: Browser | undefined;
  agents: AgentHandle[];
  web: RunningDashboard | undefined;
  hub: RunningHub | undefined;
  dir: string | undefined;
}): Promise<void> {
  await parts.browser?.close();
  await Promise.all(parts.agents.map((a) => a.stop({ graceMs: 1000 })));
  await parts.web?.close();
  await parts.hub?.close();
  if (parts.dir) rmSync(parts.dir, { recursive: true, force: true });
}

/** The administrator's offline root key and the first root document, root.json, in dir. */
export async function createRoot(dir: string): Promise<void> {
  const root = { cwd: dir, passphrase: ROOT_PASS };
  await must(serfbort(['key', 'generate', '--out', 'root.key.json', '--name', 'root-1'], root));
  await must(
    serfbort(['trust', 'init', '--root-key', 'root.key.json', '--out', 'root.json'], root),
  );
}

/** Collects the page's console errors and uncaught exceptions into errors. */
export function recordErrors(page: Page, errors: string[]): Page {
  collectConsoleErrors(page, errors);
  return page;
}

/** In-app navigation: a full page load would lock the key again (it lives in memory only). */
export async function nav(page: Page, path: string): Promise<void> {
  await page.click(`nav[aria-label=Main] a[href="${path}"]`);
  await page.waitForURL((u) => u.pathname === path);
}

export const authOf = (page: Page) =>
  page.locator('[data-testid=key-status]').getAttribute('data-auth');

/** Waits until the hub session is an operator's. */
export async function becomesOperator(page: Page): Promise<void> {
  await expect.poll(() => authOf(page), { timeout: 30_000 }).toBe('operator');
}

/** Generates alice's encrypted key on the keys page; returns its public key. */
export async function generateKeyInBrowser(page: Page): Promise<string> {
  await page.fill('#key-name', 'alice');
  await page.fill('#key-pass', OPERATOR_PASS);
  await page.fill('#key-pass2', OPERATOR_PASS);
  await page.click('[data-testid=generate-submit]');
  await page.locator('[data-testid=key-public]').waitFor({ timeout: 60_000 });
  return (await page.locator('[data-testid=key-public]').textContent())!.trim();
}

/** The administrator adds the browser's key to keyring.json and publishes it; the page logs in. */
export async function authorizeBrowserKey(
  page: Page,
  cli: (args: string[]) => Promise<RunResult>,
  publicKey: string,
): Promise<void> {
  await must(
    cli([
      'trust',
      'add-operator',
      publicKey,
      '--name',
      'alice',
      '--root-key',
      'root.key.json',
      '--keyring',
      'keyring.json',
    ]),
  );
  await must(cli(['trust', 'publish', 'keyring.json']));
  await page.locator('[data-testid=banner-not-authorized] button').click();
  await becomesOperator(page);
}

/**
 * Closes the toasts on screen: each approval says "approved" in one, and a stack of them
 * covers the bottom of the page, where the next Approve button may sit (as for a person).
 */
export async function closeToasts(page: Page): Promise<void> {
  const close = page.locator('[data-sonner-toast] [data-close-button]');
  for (let i = 0; i < 10 && (await close.count()) > 0; i++)
    await close
      .first()
      .click({ timeout: 2_000 })
      .catch(() => undefined);
}

/** Approves every pending agent on the keys page, one by one, newest list each time. */
export async function approvePending(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await closeToasts(page);
    await page.locator('[data-testid=pending-agent] button').first().click();
    await expect
      .poll(() => page.locator('[data-testid=pending-agent]').count(), { timeout: 15_000 })
      .toBe(count - 1 - i);
  }
}

/** Unlocks the key from the "locked" banner. */
export async function unlockFromBanner(page: Page, passphrase = OPERATOR_PASS): Promise<void> {
  await page.fill('[data-testid=banner-key-locked] [data-testid=unlock-passphrase]', passphrase);
  await page.click('[data-testid=banner-key-locked] [data-testid=unlock-submit]');
}

/** The deploy form's app, target selector and version. */
export async function fillDeploy(
  page: Page,
  app: string,
  selector: string,
  version: string,
): Promise<void> {
  await page.fill('#deploy-app', app);
  await page.fill('[data-testid=selector-input]', selector);
  await page.fill('#deploy-version', version);
}
