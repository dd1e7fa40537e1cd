import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import { type RunningHub, startHub } from '@serfbort/hub';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iconlessMoments, launchChromium, watchPageIcon } from '../browser.js';
import { startTestAgent } from './harness/agents.js';
import { serfbort } from './harness/cli.js';
import type { RunningDashboard } from './harness/dashboard.js';
import { readIdb } from './harness/idb.js';
import {
  approvePending,
  artifacts,
  authOf,
  authorizeBrowserKey,
  becomesOperator,
  createRoot,
  fillDeploy,
  generateKeyInBrowser,
  hubFor,
  must,
  nav as navIn,
  OPERATOR_PASS,
  ROOT_PASS,
  recordErrors,
  startWebStack,
  stopWebStack,
  unlockFromBanner,
} from './harness/stack.js';

/**
 * The dashboard end to end: a real hub, real agents, the production Next.js build in
 * Debian's Chromium, and the real CLI as the administrator. One story, in order.
 */
describe('dashboard', () => {
  let dir: string;
  let hub: RunningHub;
  let web: RunningDashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const agents: AgentHandle[] = [];
  const consoleErrors: string[] = [];
  let firstDeployId = '';
  const cli = (args: string[], passphrase = ROOT_PASS) =>
    serfbort([...args, '--hub', hub.url], { cwd: dir, passphrase });

  beforeAll(async () => {
    ({ dir, hub, web } = await startWebStack('serfbort-web-e2e-'));
    // the administrator: an offline root key and the first root document
    await createRoot(dir);
    await must(cli(['trust', 'publish', 'root.json']));
    browser = await launchChromium();
    context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
    });
    await watchPageIcon(context);
    page = recordErrors(await context.newPage(), consoleErrors);
  }, 600_000);

  afterAll(() => stopWebStack({ browser, agents, web, hub, dir }), 60_000);

  const nav = (path: string) => navIn(page, path);
  /** Signs in the open dialog and waits for the live view; a refusal fails with its code. */
  const signAndOpenLiveView = async () => {
    await page.click('[data-testid=sign-submit]');
    const refusal = page.locator('[data-testid=deploy-refusal]');
    await Promise.race([
      page.waitForURL(/\/deployments\//, { timeout: 60_000 }),
      refusal.waitFor({ timeout: 60_000 }),
    ]);
    if (await refusal.count()) throw new Error(`deploy refused: ${await refusal.textContent()}`);
  };
  const shot = (name: string) =>
    page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });

  it('generates an encrypted key in the browser and shows the command that authorizes it', async () => {
    await page.goto(`${web.url}/keys`);
    await page.getByText('No operator key in this browser').waitFor();
    await shot('00-first-run');
    const publicKey = await generateKeyInBrowser(page);
    expect(publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    await expect
      .poll(() => page.locator('[data-testid=add-operator-command]').textContent())
      .toBe(`serfbort trust add-operator ${publicKey} --name alice`);
    // the hub does not know this key yet
    await page.locator('[data-testid=banner-not-authorized]').waitFor({ timeout: 30_000 });
    await shot('01-keys-not-authorized');

    // the administrator runs exactly that command (plus the root key to sign with) and publishes
    await authorizeBrowserKey(page, cli, publicKey);
    await page.locator('[data-testid=keyring-version]').waitFor();
  });

  it('approves pending agents with an operator-signed approval', async () => {
    const rootFile = join(dir, 'root.json');
    for (const [name, labels] of [
      ['web-1', ['role=web', 'dc=ams']],
      ['web-2', ['role=web', 'dc=fra']],
      ['db-1', ['role=db', 'dc=ams']],
    ] as const) {
      agents.push(
        await startTestAgent({ dir, name, labels: [...labels], hubUrl: hub.url, rootFile }),
      );
    }
    await nav('/keys');
    await expect
      .poll(() => page.locator('[data-testid=pending-agent]').count(), { timeout: 30_000 })
      .toBe(3);
    await shot('02-keys-pending-agents');
    // the fingerprint the agents printed, computed in the browser, and the labels being approved
    const shown = await page.locator('[data-testid=pending-fingerprint]').allTextContents();
    expect(shown.sort()).toEqual(agents.map((a) => a.fingerprint).sort());
    const labels = await page.locator('[data-testid=pending-labels]').allTextContents();
    expect(labels.join(' ')).toMatch(/approving labels.*role.*web/);
    await approvePending(page, 3);
    await page.locator('[data-testid=no-pending-agents]').waitFor();
    await shot('03-keys-trust');
  });

  it('shows the live fleet, filters by selector and explains parse errors', async () => {
    await nav('/fleet');
    await expect
      .poll(() => page.locator('[data-testid=fleet-table] tbody tr').count(), { timeout: 30_000 })
      .toBe(3);
    await expect
      .poll(() => page.locator('tbody tr[data-host=web-1] td').nth(1).textContent(), {
        timeout: 15_000,
      })
      .toBe('online');
    // approved in the browser with v2 approvals: the labels are signed, no host is flagged
    expect(await page.locator('[data-testid=label-state]').count()).toBe(0);
    await shot('04-fleet');
    await page.fill('[data-testid=selector-input]', 'role in (web');
    await page.locator('[data-testid=selector-error]').waitFor();
    await expect(page.locator('[data-testid=selector-error]').textContent()).resolves.toContain(
      'at 12',
    );
    await shot('05-fleet-selector-error');
    await page.fill('[data-testid=selector-input]', 'role=web');
    await expect.poll(() => page.locator('[data-testid=fleet-table] tbody tr').count()).toBe(2);
    await page.click('[data-testid=show-non-matching]');
    await page.click('tbody tr[data-host=db-1]');
    await expect(page.locator('[data-testid=match-explanation]').textContent()).resolves.toContain(
      "role is 'db'",
    );
    await shot('06-fleet-why-not');
    // the whole view is in the URL: leave the page and come back to it, and it is the same
    // (a reload would lock the key: this test's tab holds the only unlocked session)
    await expect
      .poll(() => new URL(page.url()).searchParams.toString())
      .toBe('selector=role%3Dweb&all=1&host=db-1');
    await nav('/deploy');
    await page.goBack();
    await expect
      .poll(() => page.locator('[data-testid=selector-input]').inputValue(), { timeout: 30_000 })
      .toBe('role=web');
    expect(await page.locator('[data-testid=show-non-matching]').isChecked()).toBe(true);
    await page.locator('[data-testid=match-explanation]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=fleet-table] tbody tr').count()).toBe(3);
    // back walks out of the selection, then the toggle
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('host')).toBe(null);
    await page.goBack();
    await expect.poll(() => page.locator('[data-testid=fleet-table] tbody tr').count()).toBe(2);
  });

  it('deploys to role=web: every host succeeds with a receipt verified in the browser', async () => {
    await nav('/deploy');
    await fillDeploy(page, 'web', 'role=web', 'v1.2.3');
    await expect
      .poll(() => page.locator('[data-testid=preview-count]').textContent())
      .toBe('2 matching hosts');
    await shot('07-deploy-form');
    await page.click('[data-testid=review-deploy]');
    const signed = JSON.parse((await page.locator('[data-testid=signed-json]').textContent())!);
    expect(signed).toMatchObject({
      type: 'deploy',
      app: 'web',
      version: 'v1.2.3',
      target: { selector: 'role=web' },
    });
    await shot('08-deploy-confirm');
    await signAndOpenLiveView();
    firstDeployId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await expect
      .poll(() => page.locator('[data-testid=receipt-verified]').count(), { timeout: 60_000 })
      .toBe(2);
    expect(await page.locator('[data-testid=receipt-unverified]').count()).toBe(0);
    expect(await page.locator('li[data-state=succeeded]').count()).toBe(2);
    await expect(page.locator('[data-testid=live-progress]').textContent()).resolves.toBe(
      '2 of 2 hosts finished',
    );
    await page.locator('li[data-host=web-1] button').first().click();
    await page.locator('[data-testid=host-output]').getByText('deployed v1.2.3').waitFor();
    await shot('09-deploy-live');
  });

  it('checks role=web and reports OK with verified answers', async () => {
    await nav('/check');
    await page.fill('#check-app', 'web');
    await page.fill('[data-testid=selector-input]', 'role=web');
    await page.fill('#check-expected', 'v1.2.3');
    await page.click('[data-testid=check-run]');
    await page.locator('[data-testid=check-ok]').waitFor({ timeout: 30_000 });
    // the browser signed the check request: every answer is proven fresh, none stale
    expect(await page.locator('[data-testid=check-unproven]').count()).toBe(0);
    expect(await page.locator('[data-testid=check-stale]').count()).toBe(0);
    await shot('10-check');
  });

  it("shows a host's receipt chain, verified in the browser", async () => {
    await nav('/fleet');
    await page.click('tbody tr[data-host=web-1]');
    await expect
      .poll(() => page.locator('[data-testid=chain-status]').textContent(), { timeout: 15_000 })
      .toContain('intact');
  });

  it('refuses typos before signing; an app no host has goes out only when allowed, and agents refuse it', async () => {
    await nav('/deploy');
    await fillDeploy(page, 'web', 'role=wbe', 'v9');
    // a selector matching no known host: no review, no bytes, nothing to sign
    const refusal = page.locator('[data-testid=fleet-refusal]');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('NO_MATCHING_HOSTS');
    await expect(refusal.textContent()).resolves.toContain(
      "no known host matches 'role=wbe': no host has role=wbe; did you mean 'web'?",
    );
    expect(await page.locator('[data-testid=review-deploy]').isDisabled()).toBe(true);
    // a selector matching nobody cannot be signed anyway
    expect(await page.locator('[data-testid=allow-unknown]').count()).toBe(0);
    await page
      .locator('[data-testid=deploy-form]')
      .evaluate((f: HTMLFormElement) => f.requestSubmit());
    expect(await page.locator('[data-testid=sign-submit]').count()).toBe(0);
    await shot('11-deploy-typo-refused');
    // an app no targeted host has: refused with the closest app, until explicitly allowed
    await page.fill('#deploy-app', 'wbe');
    await page.fill('[data-testid=selector-input]', 'role=web');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('UNKNOWN_APP');
    await expect(refusal.textContent()).resolves.toContain(
      "no targeted host has app 'wbe' (per the hub, they have: web); did you mean 'web'?",
    );
    expect(await page.locator('[data-testid=review-deploy]').isDisabled()).toBe(true);
    await page.fill('#deploy-app', 'billing');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('UNKNOWN_APP');
    await page.check('[data-testid=allow-unknown]');
    expect(await page.locator('[data-testid=review-deploy]').isDisabled()).toBe(false);
    // signed anyway: every agent verifies the request and refuses it with a signed receipt
    await page.click('[data-testid=review-deploy]');
    await signAndOpenLiveView();
    await expect
      .poll(() => page.locator('li[data-state=rejected]').count(), { timeout: 60_000 })
      .toBe(2);
    await expect(page.locator('[data-testid=host-reason]').first().textContent()).resolves.toBe(
      'APP_NOT_CONFIGURED',
    );
    await expect.poll(() => page.locator('[data-testid=receipt-verified]').count()).toBe(2);
    await shot('12-deploy-rejected-by-agents');
    // the hub never saw a request for the typo'd target or app: v9 went out once, for billing
    await nav('/history');
    const v9 = page.locator('[data-testid=history-table] tbody tr', { hasText: '→ v9' });
    await expect.poll(() => v9.count(), { timeout: 15_000 }).toBe(1);
    await expect(v9.first().textContent()).resolves.toContain('billing');
  });

  it('lists history and rolls back to the previous version with a new signed request', async () => {
    // a newer version first, so there is a previous one to go back to
    await nav('/deploy');
    await fillDeploy(page, 'web', 'role=web', 'v1.2.4');
    await page.click('[data-testid=review-deploy]');
    await signAndOpenLiveView();
    await expect
      .poll(() => page.locator('li[data-state=succeeded]').count(), { timeout: 60_000 })
      .toBe(2);

    await nav('/history');
    await expect
      .poll(() => page.locator('[data-testid=history-table] tbody tr').count(), { timeout: 15_000 })
      .toBe(3);
    await shot('13-history');
    await page
      .locator('[data-testid=history-table] tbody tr', { hasText: 'v1.2.4' })
      .locator('[data-testid=rollback]')
      .click();
    await page.waitForURL(/\/deploy\?/);
    await expect(page.inputValue('#deploy-version')).resolves.toBe('v1.2.3');
    await page.click('[data-testid=review-deploy]');
    const signed = JSON.parse((await page.locator('[data-testid=signed-json]').textContent())!);
    expect(signed.id).not.toBe(firstDeployId);
    expect(signed).toMatchObject({
      app: 'web',
      version: 'v1.2.3',
      target: { selector: 'role=web' },
    });
    await page.click('[data-testid=sign-submit]');
    await page.waitForURL((u) => u.pathname === `/deployments/${signed.id}`);
    await expect
      .poll(() => page.locator('[data-testid=receipt-verified]').count(), { timeout: 60_000 })
      .toBe(2);
    await expect(page.locator('li[data-state=succeeded]').count()).resolves.toBe(2);
  });

  it('keeps the key encrypted across a reload and asks for the passphrase', async () => {
    await page.reload();
    await page.locator('[data-testid=banner-key-locked]').waitFor();
    await shot('14-locked-after-reload');
    await unlockFromBanner(page, 'wrong passphrase!');
    await expect(
      page.locator('[data-testid=unlock-error]').textContent({ timeout: 30_000 }),
    ).resolves.toBe('Wrong passphrase.');
    await unlockFromBanner(page);
    await becomesOperator(page);
    // what IndexedDB holds is core's encrypted key-file format, never the seed
    const stored = (await readIdb(page, 'serfbort:operator-key-file')) ?? '';
    expect(JSON.parse(stored)).toMatchObject({
      type: 'serfbort-key',
      version: 1,
      kdf: { name: 'scrypt' },
      cipher: { name: 'xsalsa20-poly1305' },
    });
    expect(stored).not.toContain('seed');
  });

  it('exports a key file the CLI accepts', async () => {
    await nav('/keys');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=export-key]'),
    ]);
    const keyPath = join(dir, 'exported.key.json');
    await download.saveAs(keyPath);
    const check = await serfbort(
      [
        'check',
        'web',
        'v1.2.3',
        '-l',
        'role=web',
        '--key',
        keyPath,
        '--root',
        join(dir, 'root.json'),
        '--hub',
        hub.url,
      ],
      { cwd: dir, passphrase: OPERATOR_PASS },
    );
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
  });

  it('looks right in the dark theme too, and logged no console errors anywhere', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await nav('/fleet');
    await expect
      .poll(() => page.locator('[data-testid=fleet-table] tbody tr').count(), { timeout: 30_000 })
      .toBe(3);
    await shot('15-fleet-dark');
    await nav('/history');
    await page
      .locator('[data-testid=history-table] tbody tr', { hasText: 'v1.2.3' })
      .locator('a')
      .first()
      .click();
    await page.locator('li[data-state=succeeded]').first().waitFor();
    await shot('16-deploy-live-dark');
    // since the last full load (the reload test), no navigation left the page without an icon
    expect(await iconlessMoments(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('says the hub is unreachable while it is down, and catches up when it is back', async () => {
    const port = hub.port;
    await hub.close();
    await page.locator('[data-testid=banner-hub-unreachable]').waitFor({ timeout: 30_000 });
    await shot('17-hub-unreachable');
    hub = await startHub(hubFor(dir, new URL(web.url).origin, port));
    await page
      .locator('[data-testid=banner-hub-unreachable]')
      .waitFor({ state: 'detached', timeout: 30_000 });
    await becomesOperator(page);
  });

  it('imports a key file made by the CLI, which the hub does not know yet', async () => {
    await must(
      serfbort(['key', 'generate', '--out', 'bob.key.json', '--name', 'bob'], {
        cwd: dir,
        passphrase: 'bob passphrase 123',
      }),
    );
    await nav('/keys');
    await page.getByRole('button', { name: 'Remove from this browser' }).click();
    await page.getByRole('button', { name: 'Remove key' }).click();
    await page.getByRole('radio', { name: 'Import a key file' }).click();
    await page.setInputFiles('#key-file', join(dir, 'bob.key.json'));
    await page.fill('#import-pass', 'bob passphrase 123');
    await page.click('[data-testid=import-submit]');
    await expect
      .poll(() => page.locator('[data-testid=add-operator-command]').textContent(), {
        timeout: 60_000,
      })
      .toContain('--name bob');
    await expect.poll(() => authOf(page), { timeout: 30_000 }).toBe('refused');
    await shot('18-imported-cli-key');
  });
});
