import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { bundleWebViews, pageWithScript } from './harness/bundle.js';

/**
 * The fleet view's table and host panel, bundled as the dashboard bundles them, fed hosts
 * with the problems a hub reports: what an operator sees in the browser.
 */
function bundleFleetViews(): Promise<string> {
  return bundleWebViews(
    `
        import { createElement, Fragment } from 'react';
        import { createRoot } from 'react-dom/client';
        import { FleetTable } from './features/fleet/fleet-table';
        import { HostPanel } from './features/fleet/host-panel';
        const base = (name, state) => ({
          name, labels: { role: 'web' }, state, approved: true, keyId: 'k'.repeat(32),
          agentVersion: '0.1.0', lastSeen: Date.now(), apps: {}, lastDeploys: {}, pendingDeploys: [],
        });
        const hosts = [
          base('fine', 'online'),
          { ...base('full', 'online'), problems: [{ code: 'DISK_FULL', detail: 'disk full (ENOSPC)', since: 1 }] },
          { ...base('stale', 'online'), problems: [{ code: 'TRUST_EXPIRED', detail: 'trust expired: the keyring expired at 2026-01-01T00:00:00.000Z', since: 1 }] },
          { ...base('skewed', 'left'), problem: { code: 'CLOCK_SKEW', detail: 'clock skew 600 s', skewMs: 600000, at: 1 } },
        ];
        window.renderFleet = (panel) => {
          const rows = hosts.map((host) => ({ host, matches: true, drifted: false }));
          createRoot(document.getElementById('root')).render(createElement(Fragment, null,
            createElement(FleetTable, { rows, selected: null, onSelect() {} }),
            createElement(HostPanel, { host: hosts.find((h) => h.name === panel), selector: null, onClose() {} }),
          ));
        };
      `,
    {
      // the panel's next/link reads other process.env keys, as Next's own bundler allows
      banner: { js: 'var process = { env: {} };' },
      // the panel's receipt-chain section talks to a hub; these views are fed no hub
      plugins: [
        {
          name: 'no-hub-chain-status',
          setup(b) {
            b.onResolve({ filter: /\/chain-status$/ }, () => ({
              path: 'chain-status',
              namespace: 'stub',
            }));
            b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
              contents: 'export const ChainStatus = () => null;',
              loader: 'js',
            }));
          },
        },
      ],
    },
  );
}

describe('the fleet view shows what keeps a host from deploying', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    [script, browser] = await Promise.all([bundleFleetViews(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function render(panel: string): Promise<Page> {
    const { page } = await pageWithScript(
      browser,
      script,
      '[data-testid=fleet-table]{height:400px;overflow:auto}',
    );
    await page.evaluate(
      (p) => (window as unknown as { renderFleet(p: string): void }).renderFleet(p),
      panel,
    );
    await page.locator('tbody tr[data-host=skewed]').waitFor();
    return page;
  }

  it('in the state column: disk full, trust expired, clock skew; presence otherwise', async () => {
    const page = await render('full');
    const state = (host: string) => page.locator(`tbody tr[data-host=${host}] td`).nth(1);
    expect(await state('fine').textContent()).toBe('online');
    expect(await state('full').textContent()).toBe('disk full');
    expect(await state('stale').textContent()).toBe('trust expired');
    expect(await state('skewed').textContent()).toBe('clock skew 600 s');
    expect(await page.locator('[data-testid=host-problem]').count()).toBe(3);
    await page.close();
  });

  it('in the host panel, with the agent’s detail', async () => {
    const page = await render('stale');
    const section = page.locator('[data-testid=host-problems]');
    expect(await section.textContent()).toContain('trust expired');
    expect(await section.textContent()).toContain('the keyring expired at 2026-01-01');
    await page.close();
  });
});
