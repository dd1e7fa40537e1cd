import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import { type RunningHub, startHub } from '@serfbort/hub';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { startTestAgent } from './harness/agents.js';
import { ensureCliBuilt, serfbort } from './harness/cli.js';
import {
  ensureDashboardBuilt,
  type RunningDashboard,
  startDashboard,
} from './harness/dashboard.js';
import { freePort, type RunResult, repoRoot } from './harness/processes.js';

const ROOT_PASS = 'root passphrase for tests';
const OPERATOR_PASS = 'correct horse battery staple';
const VIEWER_TOKEN = 'charts-viewer-token-0123456789abcdef';
const artifacts = join(repoRoot, 'test/artifacts');

/**
 * Charts and server-side history in the production dashboard: a real hub, two real
 * agents, four deploys made with the real CLI (one fails on its host), read by a viewer
 * in Chromium. The numbers shown must be the hub's, the filters must survive a shared
 * link and back/forward, and nothing may break the CSP or log an error.
 */
describe('dashboard charts and history filters', () => {
  let dir: string;
  let hub: RunningHub;
  let web: RunningDashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const agents: AgentHandle[] = [];
  const consoleErrors: string[] = [];
  const cli = (args: string[], passphrase = ROOT_PASS) =>
    serfbort([...args, '--hub', hub.url, '--root', join(dir, 'root.json')], {
      cwd: dir,
      passphrase,
    });
  const asAlice = (args: string[]) =>
    cli([...args, '--key', join(dir, 'alice.key.json')], OPERATOR_PASS);
  const must = async (result: Promise<RunResult>) => {
    const r = await result;
    expect(r.code, `exit ${r.code}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };

  const openPage = async (): Promise<Page> => {
    const p = await context.newPage();
    p.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => consoleErrors.push(`${p.url()}: ${e.message}`));
    return p;
  };
  /** CSP violations the page reported (the init script runs outside the page's CSP) */
  const violations = (p: Page) =>
    p.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
  const query = (p: Page) => Object.fromEntries(new URL(p.url()).searchParams);
  const historyRows = (p: Page) => p.locator('[data-testid=history-table] tbody tr');
  /** the table has answered for the current filters */
  const settled = (p: Page) =>
    p.locator('[data-testid=history-table][data-loading=false]').waitFor({ timeout: 15_000 });

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'serfbort-web-charts-'));
    await Promise.all([ensureDashboardBuilt(), ensureCliBuilt()]);
    const webPort = await freePort();
    hub = await startHub({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(dir, 'hub'),
      logLevel: 'silent',
      origins: [`http://127.0.0.1:${webPort}`],
      viewerToken: VIEWER_TOKEN,
    });
    web = await startDashboard({ port: webPort, hubUrl: hub.url });
    const inDir = { cwd: dir, passphrase: ROOT_PASS };
    await must(serfbort(['key', 'generate', '--out', 'root.key.json', '--name', 'root-1'], inDir));
    await must(
      serfbort(['key', 'generate', '--out', 'alice.key.json', '--name', 'alice'], {
        cwd: dir,
        passphrase: OPERATOR_PASS,
      }),
    );
    await must(
      serfbort(['trust', 'init', '--root-key', 'root.key.json', '--out', 'root.json'], inDir),
    );
    await must(
      serfbort(
        [
          'trust',
          'add-operator',
          'alice.key.json',
          '--name',
          'alice',
          '--root-key',
          'root.key.json',
        ],
        inDir,
      ),
    );
    await must(cli(['trust', 'publish', 'root.json', 'keyring.json']));
    for (const name of ['web-1', 'web-2']) {
      const agent = await startTestAgent({
        dir,
        name,
        labels: ['role=web'],
        hubUrl: hub.url,
        rootFile: join(dir, 'root.json'),
      });
      agents.push(agent);
      await until(() => agent.status === 'pending' || agent.status === 'approved');
      await must(asAlice(['agents', 'approve', name, '--fingerprint', agent.fingerprint, '--yes']));
      await until(() => agent.status === 'approved');
    }
    // four deploys of web today: three succeed, one fails on its only host
    await must(asAlice(['deploy', 'web', 'v1.0.0', '-l', 'role=web', '--yes']));
    await must(asAlice(['deploy', 'web', 'v1.1.0', '-l', 'role=web', '--yes']));
    const broken = await asAlice(['deploy', 'web', 'v1.2.0-broken', '--hosts', 'web-2', '--yes']);
    expect(broken.code, broken.stdout + broken.stderr).not.toBe(0);
    await must(asAlice(['deploy', 'web', 'v1.2.0', '--hosts', 'web-1', '--yes']));

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(agents.map((a) => a.stop({ graceMs: 1000 })));
    await web?.close();
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('the charts show the hub’s counts, failure rate and durations, with a table of the same', async () => {
    // a viewer: the charts need no key
    page = await openPage();
    await page.goto(`${web.url}/fleet`);
    await page.fill('[data-testid=viewer-token]', VIEWER_TOKEN);
    await page.click('[data-testid=viewer-submit]');
    await expect
      .poll(() => page.locator('[data-testid=key-status]').getAttribute('data-auth'), {
        timeout: 30_000,
      })
      .toBe('viewer');
    await page.click('nav[aria-label=Main] a[href="/charts"]');
    await page.waitForURL((u) => u.pathname === '/charts');
    const webCharts = page.locator('[data-testid=app-charts][data-app=web]');
    await webCharts.waitFor({ timeout: 15_000 });
    expect(await webCharts.getAttribute('data-deploys')).toBe('4');
    expect(await webCharts.getAttribute('data-failed')).toBe('1');
    expect(await webCharts.getAttribute('data-failure-rate')).toBe('0.25');
    await expect(webCharts.locator('[data-testid=app-summary]').textContent()).resolves.toBe(
      '4 deploys · 1 failure · failure rate 25%',
    );
    // three charts drawn as SVG, each labelled for assistive technology
    await expect.poll(() => webCharts.locator('figure .recharts-wrapper > svg').count()).toBe(3);
    expect(await webCharts.locator('figure[aria-label]').count()).toBe(3);
    // bars: succeeded and failed stacks exist for today
    expect(await webCharts.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);

    const today = new Date().toISOString().slice(0, 10);
    const row = webCharts.locator(`[data-testid=stats-table] tr[data-day="${today}"]`);
    expect(await row.locator('[data-cell=deploys]').textContent()).toBe('4');
    expect(await row.locator('[data-cell=failed]').textContent()).toBe('1');
    expect(await row.locator('[data-cell=failure-rate]').textContent()).toBe('25%');
    const p50 = Number(await row.locator('[data-cell=p50]').textContent());
    const p95 = Number(await row.locator('[data-cell=p95]').textContent());
    expect(p50).toBeGreaterThan(0);
    expect(p95).toBeGreaterThanOrEqual(p50);
    expect(p95).toBeLessThan(60);

    // the fleet's versions of web: one host on each
    const versions = page.locator('[data-testid=versions-view] [data-app=web]');
    await expect
      .poll(() => versions.locator('li[data-version="v1.2.0"]').getAttribute('data-hosts'))
      .toBe('1');
    expect(await versions.locator('li[data-version="v1.1.0"]').getAttribute('data-hosts')).toBe(
      '1',
    );
    expect(await versions.locator('li').count()).toBe(2);
    await page.screenshot({ path: join(artifacts, 'charts-01-web.png'), fullPage: true });
  });

  it('the charts’ choices are in the URL, and back/forward walk them', async () => {
    await page.getByRole('radio', { name: '7 days' }).click();
    await expect.poll(() => query(page)).toEqual({ days: '7' });
    await page.selectOption('[data-testid=charts-filters] select', 'web');
    await expect.poll(() => query(page)).toEqual({ days: '7', app: 'web' });
    await page.goBack();
    await expect.poll(() => query(page)).toEqual({ days: '7' });
    expect(await page.inputValue('[data-testid=charts-filters] select')).toBe('');
    await page.goForward();
    await expect.poll(() => query(page)).toEqual({ days: '7', app: 'web' });
    await expect(page.locator('[role=radio][aria-checked=true]').textContent()).resolves.toBe(
      '7 days',
    );
    await page
      .locator('[data-testid=app-charts][data-app=web][data-deploys="4"]')
      .waitFor({ timeout: 15_000 });
  });

  it('history filters run on the hub and round-trip through the URL', async () => {
    await page.click('nav[aria-label=Main] a[href="/history"]');
    await page.waitForURL((u) => u.pathname === '/history');
    await settled(page);
    expect(await historyRows(page).count()).toBe(4);

    await page.selectOption('[data-testid=history-filters] select[name=status]', 'failed');
    await expect.poll(() => query(page)).toEqual({ status: 'failed' });
    await expect.poll(() => historyRows(page).count()).toBe(1);
    await expect(historyRows(page).first().getAttribute('data-outcome')).resolves.toBe('failed');
    await expect(historyRows(page).first().textContent()).resolves.toContain('v1.2.0-broken');

    // typed text applies on Enter: an unknown version matches nothing
    await page.fill('[data-testid=history-filters] input[name=q]', 'v1.1');
    await page.press('[data-testid=history-filters] input[name=q]', 'Enter');
    await expect.poll(() => query(page)).toEqual({ status: 'failed', q: 'v1.1' });
    await expect.poll(() => page.getByText('No deployment matches these filters.').count()).toBe(1);
    await page.selectOption('[data-testid=history-filters] select[name=status]', '');
    await expect.poll(() => query(page)).toEqual({ q: 'v1.1' });
    await expect.poll(() => historyRows(page).count()).toBe(1);
    await expect(historyRows(page).first().textContent()).resolves.toContain('v1.1.0');
    await page.screenshot({ path: join(artifacts, 'charts-02-history-filtered.png') });

    // back and forward restore both the rows and the fields
    await page.goBack();
    await expect.poll(() => query(page)).toEqual({ status: 'failed', q: 'v1.1' });
    await expect.poll(() => page.getByText('No deployment matches these filters.').count()).toBe(1);
    await page.goBack();
    await expect.poll(() => query(page)).toEqual({ status: 'failed' });
    await expect
      .poll(() => page.inputValue('[data-testid=history-filters] input[name=q]'))
      .toBe('');
    await expect.poll(() => historyRows(page).count()).toBe(1);
    await page.goForward();
    await expect
      .poll(() => page.inputValue('[data-testid=history-filters] input[name=q]'))
      .toBe('v1.1');
  });

  it('a shared link opens the same view in a new tab', async () => {
    const other = await openPage();
    await other.goto(`${web.url}/history?host=web-2&status=succeeded&range=24h`);
    await settled(other);
    await expect.poll(() => historyRows(other).count(), { timeout: 15_000 }).toBe(2);
    const texts = await historyRows(other).allTextContents();
    expect(texts.some((t) => t.includes('v1.0.0'))).toBe(true);
    expect(texts.some((t) => t.includes('v1.1.0'))).toBe(true);
    expect(await other.inputValue('[data-testid=history-filters] input[name=host]')).toBe('web-2');
    expect(await other.inputValue('[data-testid=history-filters] select[name=range]')).toBe('24h');

    // a hand-edited link with a bad value still shows something, and says what it ignored
    await other.goto(`${web.url}/history?status=exploded&app=web`);
    await settled(other);
    await expect.poll(() => historyRows(other).count()).toBe(4);
    await expect(other.getByText('Some filters in the link were not valid').count()).resolves.toBe(
      1,
    );
    expect(await violations(other)).toEqual([]);
    await other.close();
  });

  it('the fleet’s selected host is in the URL', async () => {
    await page.click('nav[aria-label=Main] a[href="/fleet"]');
    await page.waitForURL((u) => u.pathname === '/fleet');
    await page.locator('tbody tr[data-host=web-1]').click();
    await expect.poll(() => query(page)).toEqual({ host: 'web-1' });
    await page.locator('[data-testid=host-panel]').waitFor();
    await page.goBack();
    await expect.poll(() => query(page)).toEqual({});
    await expect.poll(() => page.locator('[data-testid=host-panel]').count()).toBe(0);
    await page.goForward();
    await page.locator('[data-testid=host-panel]').waitFor();
  });

  // CI found the fleet's URL keeping a selector typed before the last one: a change made
  // while the URL was still catching up with the one before was built on the old query
  it('changes made in quick succession all land in the URL, none undoes another', async () => {
    const fleetPage = await openPage();
    await fleetPage.goto(`${web.url}/fleet`);
    await fleetPage.locator('tbody tr[data-host=web-2]').waitFor({ timeout: 30_000 });
    for (const [round, search] of ['web', 'we', 'eb-1'].entries()) {
      const selector = round % 2 ? 'role in (web' : 'dc=nowhere';
      await fleetPage.fill('[data-testid=selector-input]', selector);
      await fleetPage.fill('[data-testid=selector-input]', 'role=web');
      await fleetPage.fill('input[aria-label="Search host names"]', search);
      await fleetPage.selectOption('select[aria-label=Presence]', 'online');
      await fleetPage.click('[data-testid=show-non-matching]');
      await fleetPage.locator('tbody tr[data-host=web-1]').click();
      await expect
        .poll(() => query(fleetPage))
        .toEqual({
          selector: 'role=web',
          q: search,
          presence: 'online',
          all: '1',
          host: 'web-1',
        });
      expect(await fleetPage.inputValue('[data-testid=selector-input]')).toBe('role=web');
      // and back to the bare page, in one go too
      await fleetPage.fill('[data-testid=selector-input]', '');
      await fleetPage.fill('input[aria-label="Search host names"]', '');
      await fleetPage.selectOption('select[aria-label=Presence]', 'all');
      await fleetPage
        .locator('[data-testid=host-panel] button[aria-label="Close details"]')
        .click();
      await expect.poll(() => query(fleetPage)).toEqual({ all: '1' });
      await fleetPage.goto(`${web.url}/fleet`);
    }

    await fleetPage.goto(`${web.url}/charts`);
    await fleetPage.locator('[data-testid=app-charts][data-app=web]').waitFor({ timeout: 15_000 });
    await fleetPage.selectOption('[data-testid=charts-filters] select', 'web');
    await fleetPage.getByRole('radio', { name: '7 days' }).click();
    await expect.poll(() => query(fleetPage)).toEqual({ app: 'web', days: '7' });

    await fleetPage.goto(`${web.url}/history`);
    await settled(fleetPage);
    await fleetPage.selectOption('[data-testid=history-filters] select[name=status]', 'failed');
    await fleetPage.selectOption('[data-testid=history-filters] select[name=range]', '24h');
    await expect.poll(() => query(fleetPage)).toEqual({ status: 'failed', range: '24h' });
    await settled(fleetPage);
    await expect.poll(() => historyRows(fleetPage).count()).toBe(1);
    await fleetPage.close();
  });

  it('logged no console errors and no CSP violations', async () => {
    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

async function until(ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
