import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import type { RunningHub } from '@serfbort/hub';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { startTestAgent } from './harness/agents.js';
import { serfbort } from './harness/cli.js';
import type { RunningDashboard } from './harness/dashboard.js';
import {
  artifacts,
  authOf,
  createRoot,
  must,
  OPERATOR_PASS,
  ROOT_PASS,
  recordErrors,
  startWebStack,
  stopWebStack,
  unlockFromBanner,
} from './harness/stack.js';

const VIEWER_TOKEN = 'wall-screen-viewer-token-0123456789';

function reachStatus(agent: AgentHandle, status: AgentHandle['status']): Promise<void> {
  if (agent.status === status) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent never became ${status}`)), 30_000);
    const on = (s: AgentHandle['status']) => {
      if (s !== status) return;
      clearTimeout(timer);
      agent.events.off('status', on);
      resolve();
    };
    agent.events.on('status', on);
  });
}

/**
 * People who only watch, and operators with several tabs: a real hub with a viewer token,
 * real agents, a deploy made with the real CLI, the production dashboard in Chromium.
 */
describe('dashboard viewers and the shared unlocked session', () => {
  let dir: string;
  let hub: RunningHub;
  let web: RunningDashboard;
  let browser: Browser;
  let deployId = '';
  const agents: AgentHandle[] = [];
  const consoleErrors: string[] = [];
  const asAdmin = { passphrase: ROOT_PASS };
  const cli = (args: string[], passphrase = ROOT_PASS) =>
    serfbort([...args, '--hub', hub.url, '--root', join(dir, 'root.json')], {
      cwd: dir,
      passphrase,
    });
  const asAlice = (args: string[]) =>
    cli([...args, '--key', join(dir, 'alice.key.json')], OPERATOR_PASS);

  /** A page that records console errors: a viewer's pages must not fail behind the scenes. */
  const openPage = async (context: BrowserContext): Promise<Page> =>
    recordErrors(await context.newPage(), consoleErrors);

  beforeAll(async () => {
    ({ dir, hub, web } = await startWebStack('serfbort-web-viewer-', {
      viewerToken: VIEWER_TOKEN,
    }));
    const inDir = { cwd: dir, ...asAdmin };
    await createRoot(dir);
    await must(
      serfbort(['key', 'generate', '--out', 'alice.key.json', '--name', 'alice'], {
        cwd: dir,
        passphrase: OPERATOR_PASS,
      }),
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
    const rootFile = join(dir, 'root.json');
    for (const name of ['web-1', 'web-2']) {
      const agent = await startTestAgent({
        dir,
        name,
        labels: ['role=web'],
        hubUrl: hub.url,
        rootFile,
      });
      agents.push(agent);
      await reachStatus(agent, 'pending');
      const approved = reachStatus(agent, 'approved');
      await must(asAlice(['agents', 'approve', name, '--fingerprint', agent.fingerprint, '--yes']));
      await approved;
    }
    const deployed = await must(
      asAlice(['deploy', 'web', 'v1.2.3', '-l', 'role=web', '--yes', '--json']),
    );
    deployId = JSON.parse(deployed.stdout).requestId;
    expect(deployId).toBeTruthy();
    // and a rollout, canary first, for the viewer to look at
    await must(
      asAlice([
        'deploy',
        'web',
        'v1.2.4',
        '-l',
        'role=web',
        '--canary-hosts',
        'web-1',
        '--batch',
        '1',
        '--yes',
      ]),
    );
    browser = await launchChromium();
  }, 600_000);

  afterAll(() => stopWebStack({ browser, agents, web, hub, dir }), 60_000);

  it('a wrong viewer token shows the hub’s refusal', async () => {
    const context = await browser.newContext();
    const page = await openPage(context);
    await page.goto(`${web.url}/fleet`);
    await page.getByText('No operator key in this browser').waitFor();
    await page.fill('[data-testid=viewer-token]', 'not-the-token-at-all-0000');
    await page.click('[data-testid=viewer-submit]');
    const banner = page.locator('[data-testid=banner-viewer-refused]');
    await banner.waitFor({ timeout: 30_000 });
    await expect(banner.textContent()).resolves.toContain('the viewer token is not valid');
    await expect(banner.textContent()).resolves.toContain('UNAUTHENTICATED');
    expect(await page.locator('[data-testid=fleet-table]').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'viewer-00-refused.png') });
    await context.close();
  });

  it('a viewer with only the token sees the fleet and a deployment with verified receipts, and cannot deploy', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openPage(context);
    await page.goto(`${web.url}/fleet`);
    await page.fill('[data-testid=viewer-token]', VIEWER_TOKEN);
    await page.click('[data-testid=viewer-submit]');
    await expect.poll(() => authOf(page), { timeout: 30_000 }).toBe('viewer');
    await expect(page.locator('[data-testid=key-status]').textContent()).resolves.toBe(
      'viewer (read-only)',
    );
    await expect
      .poll(() => page.locator('[data-testid=fleet-table] tbody tr').count(), { timeout: 30_000 })
      .toBe(2);
    await expect
      .poll(() => page.locator('tbody tr[data-host=web-1] td').nth(1).textContent(), {
        timeout: 15_000,
      })
      .toBe('online');
    await page.screenshot({ path: join(artifacts, 'viewer-01-fleet.png') });

    // in-app navigation keeps the tab; the token also survives a reload (sessionStorage)
    await page.goto(`${web.url}/deployments/${encodeURIComponent(deployId)}`);
    await expect.poll(() => authOf(page), { timeout: 30_000 }).toBe('viewer');
    await expect
      .poll(() => page.locator('[data-testid=receipt-verified]').count(), { timeout: 30_000 })
      .toBe(2);
    expect(await page.locator('[data-testid=receipt-unverified]').count()).toBe(0);
    expect(await page.locator('li[data-state=succeeded]').count()).toBe(2);
    await page.screenshot({ path: join(artifacts, 'viewer-02-deployment.png') });

    await page.click('nav[aria-label=Main] a[href="/history"]');
    await page
      .locator('[data-testid=history-table] tbody tr', { hasText: 'v1.2.3' })
      .first()
      .waitFor({ timeout: 15_000 });

    // rollouts read like an operator's, without the controls that sign
    await page.click('nav[aria-label=Main] a[href="/rollouts"]');
    const row = page.locator('[data-testid=rollouts-table] tbody tr[data-status=succeeded]');
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().locator('a[href^="/rollouts/"]').first().click();
    await page.waitForURL(/\/rollouts\/[^/]+$/);
    await expect
      .poll(() => page.locator('[data-testid=rollout-status]').textContent(), { timeout: 15_000 })
      .toContain('succeeded');
    await page.locator('[data-testid=viewer-read-only]').waitFor();
    expect(await page.getByRole('button', { name: /roll back/i }).count()).toBe(0);

    // signing is an operator's act: the deploy and check forms are replaced by the reason
    await page.click('nav[aria-label=Main] a[href="/deploy"]');
    await page.waitForURL((u) => u.pathname === '/deploy');
    await expect
      .poll(() => page.locator('[data-testid=viewer-read-only]').textContent())
      .toContain('deploying needs an authorized operator key');
    expect(await page.locator('[data-testid=review-deploy]').count()).toBe(0);
    await page.screenshot({ path: join(artifacts, 'viewer-03-cannot-deploy.png') });
    await page.click('nav[aria-label=Main] a[href="/check"]');
    await page.waitForURL((u) => u.pathname === '/check');
    await expect
      .poll(() => page.locator('[data-testid=viewer-read-only]').textContent())
      .toContain('checks needs an authorized operator key');
    expect(await page.locator('[data-testid=check-run]').count()).toBe(0);

    // a tab opened later in the same browser session watches too, without pasting again
    const second = await openPage(context);
    await second.goto(`${web.url}/fleet`);
    await expect.poll(() => authOf(second), { timeout: 30_000 }).toBe('viewer');

    // stopping: every tab forgets the token and the hub session ends
    await page.click('nav[aria-label=Main] a[href="/keys"]');
    await page.click('[data-testid=viewer-forget]');
    await expect.poll(() => authOf(second), { timeout: 15_000 }).toBe('anonymous');
    await expect.poll(() => authOf(page), { timeout: 15_000 }).toBe('anonymous');
    await context.close();
  });

  describe('an operator with several tabs', () => {
    let context: BrowserContext;
    let first: Page;
    let second: Page;

    afterAll(async () => {
      await context?.close();
    });

    it('a second tab opened after unlocking is unlocked without the passphrase', {
      timeout: 120_000,
    }, async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      first = await openPage(context);
      await first.goto(`${web.url}/keys`);
      await first.getByRole('radio', { name: 'Import a key file' }).click();
      await first.setInputFiles('#key-file', join(dir, 'alice.key.json'));
      await first.fill('#import-pass', OPERATOR_PASS);
      await first.click('[data-testid=import-submit]');
      await expect.poll(() => authOf(first), { timeout: 60_000 }).toBe('operator');

      second = await openPage(context);
      await second.goto(`${web.url}/fleet`);
      await expect.poll(() => authOf(second), { timeout: 30_000 }).toBe('operator');
      expect(await second.locator('[data-testid=banner-key-locked]').count()).toBe(0);
      await expect
        .poll(() => second.locator('[data-testid=fleet-table] tbody tr').count(), {
          timeout: 30_000,
        })
        .toBe(2);
    });

    it('locking one tab locks the other; unlocking one unlocks both', {
      timeout: 120_000,
    }, async () => {
      await second.click('nav[aria-label=Main] a[href="/keys"]');
      await second.click('[data-testid=lock-key]');
      await first.locator('[data-testid=banner-key-locked]').waitFor({ timeout: 15_000 });
      await expect.poll(() => authOf(first), { timeout: 15_000 }).not.toBe('operator');
      await expect.poll(() => authOf(second), { timeout: 15_000 }).not.toBe('operator');
      await first.screenshot({ path: join(artifacts, 'viewer-04-locked-by-other-tab.png') });

      await unlockFromBanner(first);
      await expect.poll(() => authOf(first), { timeout: 60_000 }).toBe('operator');
      await expect.poll(() => authOf(second), { timeout: 30_000 }).toBe('operator');
    });

    it('locks every tab after the configured idle time', { timeout: 60_000 }, async () => {
      // test-only unit: one "minute" of the setting is one second here
      await first.evaluate(() => localStorage.setItem('serfbort:idle-lock-unit-ms', '1000'));
      await first.click('nav[aria-label=Main] a[href="/keys"]');
      await first.selectOption('[data-testid=idle-lock]', '5');
      const set = Date.now();
      await first.locator('[data-testid=banner-key-locked]').waitFor({ timeout: 20_000 });
      await second.locator('[data-testid=banner-key-locked]').waitFor({ timeout: 5_000 });
      // not before the limit: the choice itself was the last activity
      expect(Date.now() - set).toBeGreaterThanOrEqual(4_000);
      await expect.poll(() => authOf(second), { timeout: 15_000 }).not.toBe('operator');
      await second.screenshot({ path: join(artifacts, 'viewer-05-idle-locked.png') });

      // "never" keeps the key unlocked however long nobody touches it
      await first.selectOption('[data-testid=idle-lock]', 'off');
      await unlockFromBanner(first);
      await expect.poll(() => authOf(second), { timeout: 60_000 }).toBe('operator');
      await new Promise((r) => setTimeout(r, 7_000));
      expect(await authOf(first)).toBe('operator');
      expect(await authOf(second)).toBe('operator');
    });

    it('logged no console errors beyond the hub refusing a wrong token', () => {
      expect(consoleErrors).toEqual([]);
    });
  });
});
