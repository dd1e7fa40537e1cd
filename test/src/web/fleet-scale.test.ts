import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { bundleWebViews, pageWithScript } from './harness/bundle.js';

const HOSTS = 10_000;

/**
 * The fleet table itself, bundled as the dashboard bundles it (React production build),
 * fed ten thousand hosts in real Chromium: only the visible rows exist in the DOM and
 * scrolling from top to bottom keeps frames short.
 */
function bundleFleetTable(): Promise<string> {
  return bundleWebViews(`
        import { createElement } from 'react';
        import { createRoot } from 'react-dom/client';
        import { FleetTable } from './features/fleet/fleet-table';
        window.renderFleet = (n) => {
          const rows = [];
          for (let i = 0; i < n; i++) {
            const name = 'host-' + String(i).padStart(5, '0');
            const host = {
              name, labels: { role: i % 3 ? 'web' : 'db', dc: i % 2 ? 'ams' : 'fra' }, state: i % 17 ? 'online' : 'lost',
              approved: true, keyId: 'k'.repeat(32), agentVersion: '0.1.0', lastSeen: Date.now(),
              apps: { web: { version: 'v1.2.' + (i % 5), at: Date.now() } },
              lastDeploys: { web: { requestId: 'req' + i, version: 'v1.2.3', state: 'succeeded', versionAfter: 'v1.2.3', at: Date.now() } },
              pendingDeploys: [],
            };
            rows.push({ host, matches: true, drifted: i % 5 !== 3 });
          }
          const t0 = performance.now();
          createRoot(document.getElementById('root')).render(createElement(FleetTable, { rows, selected: null, onSelect() {} }));
          return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)));
        };
      `);
}

describe('the fleet table with 10,000 hosts', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    [script, browser] = await Promise.all([bundleFleetTable(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders only the visible rows and scrolls to the last host with short frames', async () => {
    const { page, errors } = await pageWithScript(
      browser,
      script,
      '[data-testid=fleet-table]{height:600px;overflow:auto}',
    );
    const renderMs = await page.evaluate(
      (n) => (window as unknown as { renderFleet(n: number): Promise<number> }).renderFleet(n),
      HOSTS,
    );
    expect(await page.locator('tbody tr').count()).toBeLessThan(80);

    const frames = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid=fleet-table]') as HTMLElement;
      const durations: number[] = [];
      let last = performance.now();
      // wheel-like scrolling (about ten rows a frame), then one jump to the very end
      for (let step = 1; step <= 120; step++) {
        el.scrollTop = step * 400;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        durations.push(now - last);
        last = now;
      }
      el.scrollTop = el.scrollHeight;
      await new Promise((r) => requestAnimationFrame(r));
      return durations.sort((a, b) => a - b);
    });
    await page.locator('tbody tr[data-host=host-09999]').waitFor();
    expect(await page.locator('tbody tr').count()).toBeLessThan(80);
    const p95 = frames[Math.floor(frames.length * 0.95)]!;
    console.log(
      `fleet table, ${HOSTS} hosts: first render ${renderMs.toFixed(0)} ms, scroll frame p50 ${frames[Math.floor(frames.length / 2)]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    // generous bounds: CI machines are small and busy; a non-virtualized table takes seconds here
    expect(renderMs).toBeLessThan(5000);
    expect(p95).toBeLessThan(250);
    expect(errors).toEqual([]);
  });
});
