import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentHandle } from '@serfbort/agent';
import type { RunningHub } from '@serfbort/hub';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { readVersion, startTestAgent } from './harness/agents.js';
import { serfbort } from './harness/cli.js';
import type { RunningDashboard } from './harness/dashboard.js';
import {
  approvePending,
  artifacts,
  authorizeBrowserKey,
  createRoot,
  fillDeploy,
  generateKeyInBrowser,
  must,
  nav as navIn,
  ROOT_PASS,
  recordErrors,
  startWebStack,
  stopWebStack,
  unlockFromBanner,
} from './harness/stack.js';

const HOSTS = ['canary-1', 'web-1', 'web-2', 'web-3'] as const;
/** web-2 breaks on this version: step 2 spends the whole budget of 0 */
const BAD = 'v2.0.0';

/**
 * Records every run (so a host that never ran is visible on its disk) and fails for the
 * version named in FAIL_ON, before writing VERSION.
 */
const DEPLOY_SCRIPT = `#!/bin/sh
set -e
echo "$1" >> RUNS
if [ -f FAIL_ON ] && [ "$(cat FAIL_ON)" = "$1" ]; then echo "refusing $1" >&2; exit 3; fi
printf '%s\\n' "$1" > VERSION
echo "deployed $1"
`;

const runs = (dir: string, host: string): string[] | null => {
  const file = join(dir, host, 'apps/web/RUNS');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : null;
};

/**
 * A rollout built and driven in the dashboard: a real hub, real agents, the production
 * build in Chromium. Canary, then batches of two; web-2 fails in step 2 with a budget of
 * 0, so the browser halts, never signs step 3, and rolls the hosts that ran back.
 */
describe('dashboard rollouts', () => {
  let dir: string;
  let hub: RunningHub;
  let web: RunningDashboard;
  let browser: Browser;
  let page: Page;
  const agents: AgentHandle[] = [];
  const consoleErrors: string[] = [];
  const cli = (args: string[]) =>
    serfbort([...args, '--hub', hub.url], { cwd: dir, passphrase: ROOT_PASS });
  const shot = (name: string) =>
    page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
  const nav = (path: string) => navIn(page, path);
  /** Step 1 of two runs, then the rollout waits ten minutes holding the app's lock. */
  const startSlowRollout = async (version: string) => {
    await nav('/deploy');
    await fillDeploy(page, 'web', 'role=web', version);
    await page.getByRole('radio', { name: 'Rollout in steps' }).click();
    await page.getByRole('radio', { name: 'None' }).click();
    await page.fill('#rollout-batch', '50%');
    await page.fill('#rollout-wait', '10m');
    await page.fill('#rollout-step-timeout', '60s');
    await expect.poll(() => page.locator('[data-testid=rollout-step]').count()).toBe(2);
    await page.click('[data-testid=review-deploy]');
    await page.click('[data-testid=rollout-sign-start]');
    await page.waitForURL(/\/rollouts\/[^/]+$/, { timeout: 60_000 });
    await expect
      .poll(() => page.locator('[data-testid=rollout-log]').textContent(), { timeout: 60_000 })
      .toContain('waiting 10m');
  };

  beforeAll(async () => {
    ({ dir, hub, web } = await startWebStack('serfbort-web-rollout-'));
    await createRoot(dir);
    await must(cli(['trust', 'publish', 'root.json']));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = recordErrors(await context.newPage(), consoleErrors);
  }, 600_000);

  it('authorizes a key made in the browser and approves four agents', async () => {
    await page.goto(`${web.url}/keys`);
    await authorizeBrowserKey(page, cli, await generateKeyInBrowser(page));

    // four agents at v1.0.0, approved in the browser
    const rootFile = join(dir, 'root.json');
    for (const name of HOSTS) {
      const labels = name === 'canary-1' ? ['role=web', 'canary'] : ['role=web'];
      agents.push(await startTestAgent({ dir, name, labels, hubUrl: hub.url, rootFile }));
      writeFileSync(join(dir, name, 'apps/web/deploy.sh'), DEPLOY_SCRIPT);
    }
    writeFileSync(join(dir, 'web-2/apps/web/FAIL_ON'), `${BAD}\n`);
    await nav('/keys');
    await expect
      .poll(() => page.locator('[data-testid=pending-agent]').count(), { timeout: 30_000 })
      .toBe(HOSTS.length);
    await approvePending(page, HOSTS.length);
  });

  afterAll(() => stopWebStack({ browser, agents, web, hub, dir }), 60_000);

  it('previews the steps against the live fleet and shows step 1 exactly before signing', async () => {
    await nav('/fleet');
    await expect
      .poll(() => page.locator('[data-testid=fleet-table] tbody tr').count(), { timeout: 30_000 })
      .toBe(HOSTS.length);
    await nav('/deploy');
    await fillDeploy(page, 'web', 'role=web', BAD);
    await page.getByRole('radio', { name: 'Rollout in steps' }).click();
    await page.getByRole('radio', { name: 'By selector' }).click();
    await page.fill('#rollout-canary-selector', 'canary');
    await page.fill('#rollout-batch', '2');
    await page.fill('#rollout-wait', '1s');
    await page.fill('#rollout-max-failures', '0');
    await page.selectOption('#rollout-on-failure', 'rollback');
    await page.fill('#rollout-step-timeout', '60s');
    const stepHosts = (i: number) =>
      page
        .locator(`[data-testid=rollout-step][data-step="${i}"] [data-host]`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-host')));
    await expect.poll(() => page.locator('[data-testid=rollout-step]').count()).toBe(3);
    expect(await stepHosts(0)).toEqual(['canary-1']);
    expect(await stepHosts(1)).toEqual(['web-1', 'web-2']);
    expect(await stepHosts(2)).toEqual(['web-3']);
    await expect(page.locator('[data-testid=rollout-plan-summary]').textContent()).resolves.toBe(
      '3 steps over 4 hosts; halts at 1 failure; waits 1s between steps.',
    );
    await shot('rollout-01-builder');

    await page.click('[data-testid=review-deploy]');
    const first = JSON.parse(
      (await page.locator('[data-testid=rollout-first-request]').textContent())!,
    );
    expect(first).toMatchObject({
      type: 'deploy',
      app: 'web',
      version: BAD,
      target: { hosts: ['canary-1'] },
      rollout: { step: 0, steps: 3 },
    });
    expect(first.expiresAt - first.issuedAt).toBe(60_000);
    await shot('rollout-02-review');
  });

  it('halts when step 2 spends the budget, never releases step 3, and rolls back', async () => {
    await page.click('[data-testid=rollout-sign-start]');
    await page.waitForURL(/\/rollouts\/[^/]+$/, { timeout: 60_000 });
    const rolloutId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const status = page.locator('[data-testid=rollout-status]');
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 120_000 })
      .toBe('rolled-back');
    await expect
      .poll(() => page.locator('[data-testid=rollout-reason]').textContent(), { timeout: 15_000 })
      .toContain('rolled back by');
    const step = (i: number) => page.locator(`[data-testid=rollout-step-card][data-step="${i}"]`);
    const result = (i: number, host: string) =>
      step(i).locator(`li[data-host="${host}"]`).getAttribute('data-result');
    await expect.poll(() => result(0, 'canary-1'), { timeout: 30_000 }).toBe('succeeded');
    await expect.poll(() => result(1, 'web-1')).toBe('succeeded');
    await expect.poll(() => result(1, 'web-2')).toBe('failed');
    await expect.poll(() => step(0).locator('[data-testid=receipt-verified]').count()).toBe(1);
    await expect.poll(() => step(1).locator('[data-testid=receipt-verified]').count()).toBe(2);
    await expect(step(2).getAttribute('data-released')).resolves.toBe('no');
    await expect(result(2, 'web-3')).resolves.toBe('not released');
    await expect(page.locator('[data-testid=rollout-failures]').textContent()).resolves.toBe(
      '1 failure of a budget of 0',
    );
    await expect(page.locator('[data-testid=rollout-log]').textContent()).resolves.toContain(
      'stopped: halted',
    );
    await shot('rollout-03-halted-rolled-back');

    // the rollback is a rollout of its own: new signed requests, each host to its version before
    await page.click('[data-testid=rolled-back-by]');
    await page.waitForURL((u) => !u.pathname.endsWith(encodeURIComponent(rolloutId)));
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 60_000 })
      .toBe('succeeded');
    const back = step(0);
    await expect.poll(() => back.locator('[data-testid=receipt-verified]').count()).toBe(3);
    await expect(
      back
        .locator('li[data-result=succeeded]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-host'))),
    ).resolves.toEqual(['canary-1', 'web-1', 'web-2']);
    await shot('rollout-04-rollback');

    // on the agents' disks: back where they were; step 3's host never ran anything
    for (const h of ['canary-1', 'web-1', 'web-2', 'web-3'])
      expect(readVersion(dir, h)).toBe('v1.0.0');
    expect(runs(dir, 'canary-1')).toEqual([BAD, 'v1.0.0']);
    expect(runs(dir, 'web-1')).toEqual([BAD, 'v1.0.0']);
    expect(runs(dir, 'web-2')).toEqual([BAD, 'v1.0.0']);
    expect(runs(dir, 'web-3')).toBeNull();
  });

  it('lists both rollouts and shows the app unlocked once they ended', async () => {
    await nav('/rollouts');
    await expect
      .poll(() => page.locator('[data-testid=rollouts-table] tbody tr').count(), {
        timeout: 15_000,
      })
      .toBe(2);
    await expect(
      page.locator('[data-testid=rollouts-table] tbody tr[data-status=rolled-back]').count(),
    ).resolves.toBe(1);
    expect(await page.locator('[data-testid=app-lock]').count()).toBe(0);
    // the rollback's row reads as one: where hosts went back to and what it undid, no "→ v2.0.0"
    const back = page.locator('[data-testid=rollouts-table] tbody tr', {
      has: page.locator('[data-testid=rollback-version]'),
    });
    await expect(back.locator('[data-testid=rollback-version]').textContent()).resolves.toMatch(
      /^↩ v1\.0\.0 \(rollback of v2\.0\.0, [^)]+\)$/,
    );
    await expect(back.textContent()).resolves.not.toContain('→');
    await shot('rollout-05-list');
  });

  it('shows a held lock on the app and releases it with a signed release', async () => {
    // a slow rollout: step 1 runs, then it waits ten minutes holding the app's lock
    await startSlowRollout('v1.1.0');
    await nav('/deploy');
    await page.fill('#deploy-app', 'web');
    await page.locator('[data-testid=app-lock]').waitFor({ timeout: 15_000 });
    await shot('rollout-06-locked');
    await page.click('[data-testid=release-lock]');
    await page.click('[data-testid=release-lock-sign]');
    await page.locator('[data-testid=app-lock]').waitFor({ state: 'detached', timeout: 15_000 });
    await nav('/rollouts');
    await expect
      .poll(
        () =>
          page.locator('[data-testid=rollouts-table] tbody tr').first().getAttribute('data-status'),
        { timeout: 15_000 },
      )
      .toBe('aborted');
    // the driver saw the abort at its gate: step 2 was never signed
    expect(runs(dir, 'web-3')).toBeNull();
    expect(consoleErrors).toEqual([]);
  });

  it('resumes here a rollout whose browser went away; pauses, resumes, aborts and rolls it back', async () => {
    await startSlowRollout('v1.2.0');
    // the key lives in memory only: a reload ends this browser's drive
    await page.reload();
    await unlockFromBanner(page);
    const status = page.locator('[data-testid=rollout-status]');
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 30_000 })
      .toBe('running');
    expect(await page.locator('[data-testid=driven-here]').count()).toBe(0);
    // nobody renews the lock now: once it lapses the rollout reads expired
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 150_000 })
      .toBe('expired');
    await shot('rollout-07-expired');
    await page.click('[data-testid=resume-here]');
    await page.locator('[data-testid=driven-here]').waitFor({ timeout: 30_000 });
    await expect.poll(() => status.getAttribute('data-status')).toBe('running');
    await expect
      .poll(() => page.locator('[data-testid=rollout-log]').textContent(), { timeout: 30_000 })
      .toContain('step 1/2 was released before; judging its receipts');
    await expect
      .poll(() => page.locator('[data-testid=rollout-log]').textContent(), { timeout: 30_000 })
      .toContain('waiting 10m');
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status.getAttribute('data-status')).toBe('paused');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => status.getAttribute('data-status')).toBe('running');
    await page.click('[data-testid=abort-rollout]');
    await expect.poll(() => status.getAttribute('data-status')).toBe('aborted');
    await page.locator('[data-testid=driven-here]').waitFor({ state: 'detached', timeout: 30_000 });
    await shot('rollout-08-aborted');
    // step 2 (web-2, web-3) was never signed
    expect(runs(dir, 'web-2')).toEqual([BAD, 'v1.0.0']);
    expect(runs(dir, 'web-3')).toBeNull();
    expect(runs(dir, 'web-1')).toContain('v1.2.0');

    // Roll back, later: judged again from the receipts, each host to its verified version before
    await page.click('[data-testid=roll-back]');
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 60_000 })
      .toBe('rolled-back');
    await page.locator('[data-testid=rolled-back-by]').waitFor();
    expect(readVersion(dir, 'canary-1')).toBe('v1.1.0');
    expect(readVersion(dir, 'web-1')).toBe('v1.1.0');
    expect(runs(dir, 'web-3')).toBeNull();
    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
