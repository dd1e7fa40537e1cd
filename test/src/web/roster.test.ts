import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRow } from '@serfbort/core';
import { OPERATOR_NAMESPACE } from '@serfbort/core';
import { call, connectSocket, expectOk, type OperatorClient } from '@serfbort/testkit/hub';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { expectOk as cliOk, Fleet, trustedFleet } from '../cli/fleet.js';
import { presentChain, rebuiltChain, refuseHead, stallHead } from '../hostile/fork-audit.js';
import { dropApproval, hide, type Lie } from '../hostile/hide-host.js';
import { startTamperProxy } from '../hostile/tamper-proxy.js';
import {
  ensureDashboardBuilt,
  type RunningDashboard,
  startDashboard,
} from './harness/dashboard.js';
import { readIdb, writeIdb } from './harness/idb.js';
import { freePort, repoRoot } from './harness/processes.js';
import { fillDeploy } from './harness/stack.js';

/*
 * The dashboard against a hub that hides what it should not: a man in the middle in front
 * of a real hub (real agents approved with the real CLI), the production dashboard in
 * Chromium talking only to the liar. The browser remembers every approval it verified and
 * the audit head it saw, per hub id in IndexedDB, and names what the hub hides.
 */

const artifacts = join(repoRoot, 'test/artifacts');
const VIEWER_TOKEN = 'roster-test-viewer-token-0123456789';
const honest: Lie = (p) => p.data;
let lie: Lie = honest;

describe('the dashboard’s roster and audit head against a hostile hub', () => {
  let fleet: Fleet;
  let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
  let web: RunningDashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let reader: OperatorClient;
  let hubId = '';
  const pageErrors: string[] = [];

  /** Opens `path` in a fresh page load: a new login, so the page asks the hub again. */
  async function open(path: string): Promise<void> {
    await page.goto(`${web.url}${path}`);
    await expect
      .poll(() => page.locator('[data-testid=key-status]').getAttribute('data-auth'), {
        timeout: 30_000,
      })
      .toBe('operator');
  }
  const stored = async (key: string) => {
    const text = await readIdb(page, key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  };
  const rosteredNames = async () => {
    const text = (await stored(`serfbort:roster:${hubId}`)) as string | undefined;
    if (text === undefined) return [];
    return (JSON.parse(text) as { hosts: { host: string }[] }).hosts.map((h) => h.host);
  };
  /** Signs a deploy of shop to role=web in the deploy form: the refusal the dialog shows. */
  async function deployRefused(version: string): Promise<string | null> {
    await page.click('nav[aria-label=Main] a[href="/deploy"]');
    await fillDeploy(page, 'shop', 'role=web', version);
    await page.click('[data-testid=review-deploy]');
    await page.click('[data-testid=sign-submit]');
    const refused = page.locator('[data-testid=deploy-refusal]');
    await refused.waitFor({ timeout: 30_000 });
    return refused.textContent();
  }
  const gaps = () =>
    page
      .locator('[data-testid=roster-gap]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-host')}: ${r.textContent}`));

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    fleet = new Fleet();
    fleet.hubExtra = { viewerToken: VIEWER_TOKEN };
    const webPort = await freePort();
    await Promise.all([ensureDashboardBuilt(), trustedFleet(fleet, ['weba', 'webb'])]);
    proxy = await startTamperProxy(fleet.hubUrl, (p) => lie(p));
    web = await startDashboard({ port: webPort, hubUrl: proxy.url });
    // the test's own view of the real hub, past the liar
    reader = await connectSocket<OperatorClient>(fleet.hubUrl, OPERATOR_NAMESPACE);
    hubId = expectOk(await call<{ hubId: string }>(reader, 'auth:challenge')).hubId;
    expectOk(await call(reader, 'auth:hello', { viewerToken: VIEWER_TOKEN }));

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // alice's key, imported and unlocked in a tab that stays open: other tabs of the origin
    // share the unlocked session, so each fresh page load logs in again without a passphrase
    const holder = await context.newPage();
    await holder.goto(`${web.url}/keys`);
    await holder.getByRole('radio', { name: 'Import a key file' }).click();
    await holder.setInputFiles('#key-file', join(fleet.dir, 'alice.key.json'));
    await holder.fill('#import-pass', 'pw');
    await holder.click('[data-testid=import-submit]');
    await holder
      .locator('[data-testid=key-status][data-auth=operator]')
      .waitFor({ timeout: 60_000 });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 600_000);

  afterAll(async () => {
    reader?.disconnect();
    await browser?.close();
    await web?.close();
    await proxy?.close();
    await fleet?.close();
  }, 60_000);

  it('learns both approved hosts through an honest relay, and names nothing', async () => {
    lie = honest;
    await open('/fleet');
    await expect
      .poll(() => page.locator('[data-testid=fleet-table] tbody tr').count(), { timeout: 30_000 })
      .toBe(2);
    await expect.poll(rosteredNames, { timeout: 15_000 }).toEqual(['weba', 'webb']);
    expect(await page.locator('[data-testid=roster-warning]').count()).toBe(0);
  });

  it('the fleet view names a host the hub stopped listing: withheld by the hub', async () => {
    lie = hide('webb', true);
    await open('/fleet');
    await page.locator('[data-testid=roster-warning]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=fleet-table] tbody tr').count()).toBe(1);
    expect(await gaps()).toEqual([expect.stringMatching(/^webb: webb\s*withheld by the hub/)]);
    await page.screenshot({ path: join(artifacts, 'roster-01-fleet-withheld.png') });
  });

  it('the deploy target preview names it too', async () => {
    lie = hide('webb', true);
    await open('/deploy');
    await page.fill('[data-testid=selector-input]', 'role=web');
    await expect
      .poll(() => page.locator('[data-testid=preview-count]').textContent(), { timeout: 15_000 })
      .toBe('1 matching host');
    await page.locator('[data-testid=roster-warning]').waitFor({ timeout: 15_000 });
    expect(await gaps()).toEqual([expect.stringMatching(/^webb: .*withheld by the hub/)]);
  });

  it('a check by selector the hub left the host out of names it withheld', async () => {
    lie = hide('webb', true);
    await open('/check');
    await page.fill('#check-app', 'shop');
    await page.fill('[data-testid=selector-input]', 'role=web');
    await page.click('[data-testid=check-run]');
    const withheld = page.locator('[data-testid=check-withheld]');
    await withheld.waitFor({ timeout: 30_000 });
    expect(await withheld.textContent()).toMatch(/withheld by the hub.*webb/);
    expect(await page.locator('[data-testid=check-approval-disappeared]').count()).toBe(0);
  });

  it('a hub that stops presenting the approval: APPROVAL_DISAPPEARED, in the fleet view and a check', async () => {
    lie = dropApproval('webb');
    await open('/fleet');
    await page.locator('[data-testid=roster-warning]').waitFor({ timeout: 30_000 });
    expect(await gaps()).toEqual([expect.stringMatching(/^webb: .*APPROVAL_DISAPPEARED/)]);
    await open('/check');
    await page.fill('#check-app', 'shop');
    await page.fill('[data-testid=selector-input]', 'role=web');
    await page.click('[data-testid=check-run]');
    const gone = page.locator('[data-testid=check-approval-disappeared]');
    await gone.waitFor({ timeout: 30_000 });
    expect(await gone.textContent()).toContain('webb');
  });

  it('forget host, after confirmation, removes a decommissioned host from the roster', async () => {
    lie = hide('webb', false);
    await open('/fleet');
    await page.locator('[data-testid=roster-warning]').waitFor({ timeout: 30_000 });
    await page.click('[data-testid=roster-gap][data-host=webb] [data-testid=forget-host]');
    // nothing is forgotten before the confirmation
    expect(await rosteredNames()).toEqual(['weba', 'webb']);
    await page.click('[data-testid=forget-host-confirm]');
    await expect.poll(rosteredNames, { timeout: 15_000 }).toEqual(['weba']);
    await page.locator('[data-testid=roster-warning]').waitFor({ state: 'detached' });
    // and it stays forgotten at the next login, while the hub keeps hiding it
    await open('/fleet');
    await expect.poll(() => page.locator('[data-testid=fleet-table] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid=roster-warning]').count()).toBe(0);
  });

  it('a forgotten host whose approval the hub presents again is remembered again', async () => {
    lie = honest;
    await open('/fleet');
    await expect.poll(rosteredNames, { timeout: 15_000 }).toEqual(['weba', 'webb']);
  });

  it('a hub presenting a rebuilt audit chain: AUDIT_FORKED with both heads; forget head on purpose', async () => {
    lie = honest;
    await open('/history');
    await expect
      .poll(() => stored(`serfbort:audit-head:${hubId}`), { timeout: 15_000 })
      .toMatchObject({ seq: expect.any(Number), hash: expect.any(String) });
    const remembered = (await stored(`serfbort:audit-head:${hubId}`)) as {
      seq: number;
      hash: string;
    };
    expect(await page.locator('[data-testid=audit-forked]').count()).toBe(0);
    // history moves on (the browser must walk the rows after its head), then is rebuilt
    cliOk(await fleet.cli('alice', ['deploy', 'shop', 'v2', '--hosts', 'weba', '--yes']), 'deploy');
    const rows = expectOk(await call<AuditRow[]>(reader, 'audit:rows', { after: 0 }));
    expect(rows.at(-1)!.seq).toBeGreaterThan(remembered.seq);
    const forged = rebuiltChain(rows, 2);
    const forgedHead = forged.at(-1)!;
    lie = presentChain(forged);

    await open('/history');
    const alert = page.locator('[data-testid=audit-forked]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('AUDIT_FORKED');
    expect(await page.locator('[data-testid=audit-remembered]').textContent()).toBe(
      `row ${remembered.seq} · ${remembered.hash}`,
    );
    expect(await page.locator('[data-testid=audit-current]').textContent()).toBe(
      `row ${forgedHead.seq} · ${forgedHead.hash}`,
    );
    // every page says so, as the CLI refuses every command
    await page.locator('[data-testid=banner-audit-forked]').waitFor();
    await page.screenshot({ path: join(artifacts, 'roster-02-audit-forked.png') });
    // the head is not moved by a fork
    expect(await stored(`serfbort:audit-head:${hubId}`)).toMatchObject(remembered);

    // and, as the CLI refuses the session, nothing is signed for this hub: the deploy is
    // refused with AUDIT_FORKED before anything reaches the hub
    const rowsBefore = expectOk(await call<AuditRow[]>(reader, 'audit:rows', { after: 0 })).length;
    const refused = await deployRefused('v9-while-forked');
    expect(refused).toContain('AUDIT_FORKED');
    expect(refused).toContain('Forget head');
    expect(new URL(page.url()).pathname).toBe('/deploy');
    expect(expectOk(await call<AuditRow[]>(reader, 'audit:rows', { after: 0 })).length).toBe(
      rowsBefore,
    );
    await page.keyboard.press('Escape');
    await page.click('nav[aria-label=Main] a[href="/history"]');
    await alert.waitFor({ timeout: 30_000 });

    await page.click('[data-testid=forget-head]');
    await page.click('[data-testid=forget-head-confirm]');
    await alert.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await stored(`serfbort:audit-head:${hubId}`)).toMatchObject({
      seq: forgedHead.seq,
      hash: forgedHead.hash,
    });
    expect(pageErrors).toEqual([]);
  });

  it('the honest chain, after the forged one was accepted, is a fork in turn', async () => {
    lie = honest;
    await open('/history');
    await page.locator('[data-testid=audit-forked]').waitFor({ timeout: 30_000 });
  });

  it('a hub that withholds the audit head it served before: AUDIT_WITHHELD, and nothing signed', async () => {
    lie = refuseHead();
    await open('/history');
    const alert = page.locator('[data-testid=audit-withheld]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('now withholds it (BAD_REQUEST: unknown event)');
    await page.locator('[data-testid=banner-audit-withheld]').waitFor();
    expect(await deployRefused('v9-while-withheld')).toContain('AUDIT_WITHHELD');
    await page.keyboard.press('Escape');
    lie = honest;
  });

  it('a hub that stalls the audit-head check gains nothing: the signature waits for its answer', async () => {
    lie = stallHead;
    await open('/history');
    // signed at once, while the login's check waits on the hub: it waits too, and the
    // check's timeout refuses it
    const refused = await deployRefused('v9-while-stalled');
    expect(refused).toContain('UNAVAILABLE');
    expect(refused).toContain('the hub could not serve its audit history');
    await page.keyboard.press('Escape');
    lie = honest;
  });

  it('a hub that cannot serve its audit head now: signing waits, with its code, and it is asked again', async () => {
    lie = refuseHead({ code: 'STORAGE_UNAVAILABLE', message: 'the database is away' });
    await open('/history');
    await page.locator('[data-testid=audit-failed]').waitFor({ timeout: 30_000 });
    expect(await deployRefused('v9-while-unavailable')).toContain('STORAGE_UNAVAILABLE');
    await page.keyboard.press('Escape');
    lie = honest;
    // asked again within seconds: the failure is gone (the honest chain is a fork here)
    await page.click('nav[aria-label=Main] a[href="/history"]');
    await page
      .locator('[data-testid=audit-failed]')
      .waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('[data-testid=audit-forked]').waitFor({ timeout: 20_000 });
  });

  it('the receipt chain panel names a hub serving an older head than this browser verified', async () => {
    lie = honest;
    cliOk(await fleet.cli('alice', ['deploy', 'shop', 'v3', '--hosts', 'weba', '--yes']), 'deploy');
    const remembered = async () =>
      (
        (await stored(`serfbort:receipt-heads:${hubId}`)) as
          | Record<string, { seq: number }>
          | undefined
      )?.weba?.seq ?? 0;
    // the honest panel verifies the head the agent signed after its newest receipt
    let seq = 0;
    await expect
      .poll(
        async () => {
          await open('/fleet?host=weba');
          const text = await page
            .locator('[data-testid=chain-status]')
            .textContent({ timeout: 15_000 });
          seq = await remembered();
          return (
            seq > 0 && text?.includes('intact') && text.includes(`signed head: receipt ${seq}`)
          );
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    // the liar drops that head statement and the receipts it names: what is left is the
    // hello of the agent's connection, signed before those deploys, consistent by itself
    lie = (p) => {
      const ack = p.data[0] as { ok?: boolean; data?: Record<string, unknown> } | undefined;
      if (p.namespace !== '/operator' || p.kind !== 'ack' || !ack?.ok) return p.data;
      const d = ack.data;
      if (!d || !('receipts' in d) || !('hello' in d)) return p.data;
      return [{ ...ack, data: { ...d, receipts: [], head: null } }];
    };
    await open('/fleet?host=weba');
    const panel = page.locator('[data-testid=chain-status]');
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain('BROKEN');
    expect(await panel.textContent()).toContain(
      `verified the agent's signed head at receipt ${seq} before`,
    );
    await page.screenshot({ path: join(artifacts, 'roster-05-head-regressed.png') });
    // the memory did not move back
    expect(await remembered()).toBe(seq);
    lie = honest;
  });

  it('a hub at a known URL that calls itself by a new id is held to the roster first seen there', async () => {
    lie = honest;
    await open('/fleet');
    await expect.poll(rosteredNames, { timeout: 15_000 }).toEqual(['weba', 'webb']);
    const doc = JSON.parse((await stored(`serfbort:roster:${hubId}`)) as string) as {
      hosts: unknown[];
    };
    // as if this URL had first answered as hub-before, whose roster alone knows webb
    await writeIdb(page, `serfbort:hub-id:${proxy.url}`, 'hub-before');
    await writeIdb(
      page,
      'serfbort:roster:hub-before',
      JSON.stringify({ ...doc, hubId: 'hub-before' }),
    );
    await writeIdb(page, `serfbort:roster:${hubId}`, JSON.stringify({ ...doc, hosts: [] }));
    lie = hide('webb', false);
    await open('/fleet');
    const banner = page.locator('[data-testid=banner-hub-renamed]');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain(`now calls itself ${hubId}`);
    expect(await banner.textContent()).toContain('knew it as hub-before');
    await page.locator('[data-testid=roster-warning]').waitFor({ timeout: 30_000 });
    expect(await gaps()).toEqual([expect.stringMatching(/^webb: .*APPROVAL_DISAPPEARED/)]);
  });
});
