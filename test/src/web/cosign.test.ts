import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProposalView } from '@serfbort/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser.js';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';
import { type Packet, startTamperProxy } from '../hostile/tamper-proxy.js';
import { authOf, importKeyFile, openRecordedPage } from './harness/browser-session.js';
import { ensureCliBuilt } from './harness/cli.js';
import {
  ensureDashboardBuilt,
  type RunningDashboard,
  startDashboard,
} from './harness/dashboard.js';
import { freePort, repoRoot } from './harness/processes.js';

/** the Fleet's CLI writes every key file with this passphrase */
const PASS = 'pw';
const VIEWER_TOKEN = 'cosign-wall-screen-viewer-token-0123';
const HOSTS = ['web-1', 'web-2'] as const;
const artifacts = join(repoRoot, 'test/artifacts');

/** Rewrites the hub's answers that carry the proposal `id` (proposal:get, :list, :sign). */
function rewriteProposal(id: string, change: (v: ProposalView) => ProposalView) {
  const one = (v: unknown) =>
    typeof v === 'object' && v !== null && (v as ProposalView).requestId === id
      ? change(v as ProposalView)
      : v;
  return (p: Packet): unknown[] => {
    const ack = p.data[0] as { ok?: boolean; data?: unknown } | undefined;
    if (p.kind !== 'ack' || !ack?.ok) return p.data;
    const data = Array.isArray(ack.data) ? ack.data.map(one) : one(ack.data);
    return [{ ...ack, data }];
  };
}

/**
 * Two operators in two browsers, a real hub and real agents; app `creds` needs two
 * signatures. Alice proposes in the dashboard, Bob reviews the same bytes in his inbox and
 * co-signs, the agents run it. The dashboard reaches the hub through a proxy that can
 * tamper with its answers: a hub that lies about a proposal gets an error, never a button.
 */
describe('co-signing in the dashboard', () => {
  const fleet = new Fleet();
  let tamper: ((p: Packet) => unknown[]) | null = null;
  let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
  let web: RunningDashboard;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  let proposedText = '';
  let proposedId = '';
  const consoleErrors: string[] = [];
  const nav = async (page: Page, path: string) => {
    await page.click(`nav[aria-label=Main] a[href="${path}"]`);
    await page.waitForURL((u) => u.pathname === path);
  };
  const countOf = (page: Page) =>
    page.locator('nav[aria-label=Main] [data-testid=pending-count]').count();
  const current = (host: string) =>
    readFileSync(join(fleet.dir, 'agents', host, 'current-creds'), 'utf8').trim();

  /** Alice fills the deploy form for creds; the final step proposes instead of submitting. */
  async function propose(version: string): Promise<string> {
    await nav(alice, '/deploy');
    await alice.fill('#deploy-app', 'creds');
    await alice.fill('[data-testid=selector-input]', 'role=web');
    await alice.fill('#deploy-version', version);
    await alice.locator('[data-testid=cosign-needed]').waitFor({ timeout: 15_000 });
    await alice.click('[data-testid=review-deploy]');
    const text = (await alice.locator('[data-testid=signed-json]').textContent())!;
    expect(await alice.locator('[data-testid=sign-submit]').count()).toBe(0);
    await alice.click('[data-testid=sign-propose]');
    const id = JSON.parse(text).id as string;
    await alice.waitForURL((u) => u.pathname === `/pending/${encodeURIComponent(id)}`);
    proposedText = text;
    return id;
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    await Promise.all([ensureDashboardBuilt(), ensureCliBuilt()]);
    const webPort = await freePort();
    fleet.hubExtra = { origins: [`http://127.0.0.1:${webPort}`], viewerToken: VIEWER_TOKEN };
    await trustedFleet(fleet, HOSTS);
    const root = ['--root-key', 'r1.key.json'];
    expectOk(
      await fleet.cli('r1', ['key', 'generate', '--out', 'bob.key.json', '--name', 'bob']),
      'key bob',
    );
    expectOk(
      await fleet.cli('r1', ['trust', 'add-operator', 'bob.key.json', '--name', 'bob', ...root]),
      'add bob',
    );
    expectOk(
      await fleet.cli('r1', ['trust', 'set-policy', 'creds', '--threshold', '2', ...root]),
      'policy',
    );
    expectOk(await fleet.cli('r1', ['trust', 'publish', 'keyring.json']), 'publish');
    proxy = await startTamperProxy(fleet.hubUrl, (p) => (tamper ? tamper(p) : p.data));
    web = await startDashboard({ port: webPort, hubUrl: proxy.url });
    browser = await launchChromium();
    alice = await openRecordedPage(browser, consoleErrors);
    bob = await openRecordedPage(browser, consoleErrors);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await proxy?.close();
    await fleet.close();
  }, 60_000);

  it('alice and bob log in with key files the CLI wrote', async () => {
    await importKeyFile(alice, web.url, join(fleet.dir, 'alice.key.json'), PASS);
    await importKeyFile(bob, web.url, join(fleet.dir, 'bob.key.json'), PASS);
    await expect.poll(() => authOf(alice), { timeout: 60_000 }).toBe('operator');
    await expect.poll(() => authOf(bob), { timeout: 60_000 }).toBe('operator');
  });

  it('alice proposes creds v2: the form says it needs two signatures and signs only a proposal', async () => {
    await nav(bob, '/pending');
    await bob.getByText('No proposals waiting').waitFor();
    proposedId = await propose('v2');
    await expect(alice.locator('[data-testid=proposal-status]').textContent()).resolves.toBe(
      'open',
    );
    await expect
      .poll(() =>
        alice.locator('nav[aria-label=Main] a[href="/pending"]').getAttribute('aria-current'),
      )
      .toBe('page');
    const verdicts = alice.locator('[data-testid=signature-verdicts] li');
    await expect.poll(() => verdicts.count()).toBe(1);
    await expect(verdicts.first().getAttribute('data-verdict')).resolves.toBe('counts');
    await expect(verdicts.first().textContent()).resolves.toContain('alice');
    // her own signature is on it: nothing to co-sign, but she may withdraw
    expect(await alice.locator('[data-testid=cosign]').count()).toBe(0);
    expect(await alice.locator('[data-testid=withdraw]').count()).toBe(1);
    await alice.screenshot({ path: join(artifacts, 'cosign-01-proposed.png') });
    for (const host of HOSTS) expect(current(host)).toBe('v1');
  });

  it('bob sees it arrive with a count in the navigation, co-signs the same bytes, and the agents run it', async () => {
    const row = bob.locator(`[data-testid=pending-table] tr[data-proposal="${proposedId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await expect(row.getAttribute('data-verified')).resolves.toBe('true');
    await expect(row.locator('[data-testid=signature-tally]').textContent()).resolves.toBe(
      '1 of 2',
    );
    await expect(
      bob.locator('nav[aria-label=Main] [data-testid=pending-count]').textContent(),
    ).resolves.toBe('1');
    // the count is what waits for this key: alice's own proposal does not wait for her
    expect(await countOf(alice)).toBe(0);
    await bob.screenshot({ path: join(artifacts, 'cosign-02-inbox.png') });
    await row.locator('a').first().click();
    await bob.waitForURL((u) => u.pathname.startsWith('/pending/'));
    await bob.locator('[data-testid=cosign]').waitFor();
    expect(await bob.locator('[data-testid=signed-json]').textContent()).toBe(proposedText);
    await bob.click('[data-testid=cosign]');
    await bob.waitForURL((u) => u.pathname === `/deployments/${encodeURIComponent(proposedId)}`);
    await expect
      .poll(() => bob.locator('[data-testid=receipt-verified]').count(), { timeout: 60_000 })
      .toBe(HOSTS.length);
    expect(await bob.locator('[data-testid=receipt-unverified]').count()).toBe(0);
    for (const host of HOSTS) expect(current(host)).toBe('v2');
    // alice's review follows live, and the inbox empties
    await expect
      .poll(() => alice.locator('[data-testid=proposal-status]').textContent(), {
        timeout: 15_000,
      })
      .toBe('submitted');
    await expect.poll(() => countOf(bob), { timeout: 15_000 }).toBe(0);
    await bob.screenshot({ path: join(artifacts, 'cosign-03-deployed.png') });
  });

  it('a viewer sees the inbox read-only, and a withdrawal empties it live', async () => {
    const id = await propose('v3');
    const viewer = await openRecordedPage(browser, consoleErrors);
    await viewer.goto(`${web.url}/pending`);
    await viewer.fill('[data-testid=viewer-token]', VIEWER_TOKEN);
    await viewer.click('[data-testid=viewer-submit]');
    await expect.poll(() => authOf(viewer), { timeout: 30_000 }).toBe('viewer');
    const row = viewer.locator(`[data-testid=pending-table] tr[data-proposal="${id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.locator('a').first().click();
    await viewer.locator('[data-testid=viewer-read-only]').waitFor();
    expect(await viewer.locator('[data-testid=signed-json]').textContent()).toBe(proposedText);
    expect(await viewer.locator('[data-testid=cosign]').count()).toBe(0);
    expect(await viewer.locator('[data-testid=withdraw]').count()).toBe(0);

    await alice.click('[data-testid=withdraw]');
    await expect
      .poll(() => viewer.locator('[data-testid=proposal-status]').textContent(), {
        timeout: 15_000,
      })
      .toBe('withdrawn');
    await nav(bob, '/pending');
    await bob.getByText('No proposals waiting').waitFor({ timeout: 15_000 });
    for (const host of HOSTS) expect(current(host)).toBe('v2');
    await viewer.context().close();
  });

  describe('when the hub tampers with a proposal', () => {
    let id = '';
    /** a fresh load asks everything of the hub again (and the passphrase first) */
    const openInBob = async (path = `/pending/${encodeURIComponent(id)}`) => {
      await bob.goto(`${web.url}${path}`);
      const locked = bob.locator('[data-testid=banner-key-locked]');
      await locked.locator('[data-testid=unlock-passphrase]').fill(PASS);
      await locked.locator('[data-testid=unlock-submit]').click();
      await expect.poll(() => authOf(bob), { timeout: 30_000 }).toBe('operator');
    };
    const expectBroken = async (code: string) => {
      await openInBob();
      const broken = bob.locator('[data-testid=proposal-broken]');
      await broken.waitFor({ timeout: 15_000 });
      await expect(broken.textContent()).resolves.toContain(code);
      expect(await bob.locator('[data-testid=cosign]').count()).toBe(0);
      expect(await bob.locator('[data-testid=signed-json]').count()).toBe(0);
    };

    beforeAll(async () => {
      id = await propose('v4');
    });
    afterAll(() => {
      tamper = null;
    });

    it('a changed payload is caught: no review, no co-sign button', async () => {
      tamper = rewriteProposal(id, (v) => {
        const text = Buffer.from(v.envelope.payload, 'base64').toString('utf8');
        const forged = text.replace('"version":"v4"', '"version":"v5"');
        return {
          ...v,
          envelope: { ...v.envelope, payload: Buffer.from(forged).toString('base64') },
        };
      });
      await expectBroken('BAD_SIGNATURE');
      await bob.screenshot({ path: join(artifacts, 'cosign-04-tampered.png') });
      await openInBob('/pending');
      const row = bob.locator(`[data-testid=pending-table] tr[data-proposal="${id}"]`);
      await expect.poll(() => row.getAttribute('data-verified'), { timeout: 15_000 }).toBe('false');
      expect(await countOf(bob)).toBe(0);
    });

    it('an invented signature is caught', async () => {
      const bobKeyId = JSON.parse(readFileSync(join(fleet.dir, 'bob.key.json'), 'utf8')).keyId;
      tamper = rewriteProposal(id, (v) => ({
        ...v,
        envelope: {
          ...v.envelope,
          signatures: [
            ...v.envelope.signatures,
            { keyid: bobKeyId, sig: Buffer.alloc(64, 7).toString('base64') },
          ],
        },
      }));
      await expectBroken('BAD_SIGNATURE');
    });

    it('a false "submitted" is caught', async () => {
      tamper = rewriteProposal(id, (v) => ({ ...v, status: 'submitted', deploymentId: id }));
      await expectBroken('PROPOSAL_MISMATCH');
    });

    it('the honest answer again is open and co-signable, and nothing ran meanwhile', async () => {
      tamper = null;
      await openInBob();
      await bob.locator('[data-testid=cosign]').waitFor({ timeout: 15_000 });
      expect(proxy.tampered).toBeGreaterThan(0);
      for (const host of HOSTS) expect(current(host)).toBe('v2');
    });
  });

  it('logged no console errors in any browser', () => {
    expect(consoleErrors).toEqual([]);
  });
});
