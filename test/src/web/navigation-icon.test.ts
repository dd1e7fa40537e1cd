import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningHub, startHub } from '@serfbort/hub';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectConsoleErrors,
  iconlessMoments,
  launchChromium,
  watchPageIcon,
} from '../browser.js';
import {
  ensureDashboardBuilt,
  type RunningDashboard,
  startDashboard,
} from './harness/dashboard.js';
import { freePort } from './harness/processes.js';

/**
 * Issue 19's flake: `Failed to load resource: 404` on a deployment's page, now and then.
 * It was Chrome asking for /favicon.ico (which the dashboard does not serve) because an
 * in-app navigation had left the page without an icon link for a moment: Next re-renders
 * its metadata (title, icon…) on every navigation, removing the old elements first. On a
 * busy machine the moment lasts long enough for Chrome to notice. The icon now lives in
 * the root layout, which navigations never re-render.
 */
describe('in-app navigation keeps the page icon', () => {
  let dir: string;
  let hub: RunningHub;
  let web: RunningDashboard;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serfbort-web-icon-'));
    await ensureDashboardBuilt();
    const webPort = await freePort();
    hub = await startHub({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(dir, 'hub'),
      logLevel: 'silent',
      origins: [`http://127.0.0.1:${webPort}`],
    });
    web = await startDashboard({ port: webPort, hubUrl: hub.url });
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('never leaves the head without an icon, so Chrome never asks for /favicon.ico', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    collectConsoleErrors(page, consoleErrors);
    await watchPageIcon(page);
    await page.goto(`${web.url}/fleet`);
    await page.getByText('No operator key in this browser').waitFor();
    // the socket has fetched the trust documents and parked: nothing else is in flight
    await expect
      .poll(() => page.locator('[data-testid=hub-status]').textContent(), { timeout: 30_000 })
      .toContain('Reachable');
    // a slow machine, as in CI: the gap between removing and adding the icon widens
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    // the nav's links (prefetched), and what the dashboard does after signing a deploy or a
    // rollout: router.push to a page it never prefetched
    const visits: Array<[string, 'link' | 'push']> = [
      ['/history', 'link'],
      ['/deployments/x8NilblVKrRGR9qvtBdz5w', 'push'],
      ['/deploy', 'link'],
      ['/rollouts/dQTK7MurTEzLo8JLlUkWyA', 'push'],
      ['/keys', 'link'],
      ['/deployments/E9MSX1WhA4aFbTjUavz7qg', 'push'],
      ['/fleet', 'link'],
    ];
    for (const [path, how] of visits) {
      if (how === 'link') await page.click(`nav[aria-label=Main] a[href="${path}"]`);
      else
        await page.evaluate(
          (to) =>
            (window as unknown as { next: { router: { push(u: string): void } } }).next.router.push(
              to,
            ),
          path,
        );
      await page.waitForURL((u) => u.pathname === path);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(300);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    expect(await iconlessMoments(page)).toEqual([]);
    // the icon the head names is served
    const href = await page.locator('head link[rel~="icon"]').first().getAttribute('href');
    const icon = await page.request.get(new URL(href!, web.url).href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
    expect(consoleErrors).toEqual([]);
  });
});
