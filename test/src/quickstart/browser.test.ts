import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launchChromium } from '../browser.js';
import { ensureDashboardBuilt } from '../web/harness/dashboard.js';
import { DemoProcess, freePort, REPO } from './demo-process.js';
import { localize, readmeParagraph, readmeSection, shellBlock } from './readme.js';

/** One numbered step of the README's browser walkthrough and the words it names. */
interface Step {
  text: string;
  /** **bold**: what to click or where to go */
  bold: string[];
  /** *italic*: field labels, headings and states shown on the page */
  italic: string[];
  /** `code`: what to type, and names */
  code: string[];
}

function parseWords(raw: string): Step {
  const prose = raw.replace(/```sh[\s\S]*?```/g, '').replace(/\s+/g, ' ');
  const all = (re: RegExp) => [...prose.matchAll(re)].map((m) => m[1]!);
  return {
    text: raw,
    bold: all(/\*\*([^*]+)\*\*/g),
    italic: all(/(?<!\*)\*([^*\s][^*]*?)\*(?!\*)/g),
    code: all(/`([^`]+)`/g),
  };
}

function parseSteps(section: string): Step[] {
  return section
    .split(/^\d+\. /m)
    .slice(1)
    .map(parseWords);
}

/** `label` must be among the words the README marks, and is then used as the page's label. */
function named(words: string[], label: string): string {
  expect(words, `the README names "${label}"`).toContain(label);
  return label;
}

const NUMBERS: Record<string, number> = { five: 5, ten: 10, fifteen: 15, thirty: 30 };

/**
 * The README's "Your first deploy, from the browser", done as a newcomer would: the demo
 * started the README's way (scripts/demo.mjs, dashboard included), Chromium clicking the
 * labels the README names, the administrator's commands pasted from the README. Every
 * label, value and command comes from the README's text, so when the README and the
 * dashboard drift apart, this test fails.
 */
describe('the README browser walkthrough, followed literally', () => {
  let dir: string;
  let demo: DemoProcess;
  let hubPort: number;
  let webPort: number;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const NAME = 'alice';
  const PASSPHRASE = 'a passphrase for the browser';
  const demoDir = () => join(dir, 'demo');
  const here = (text: string) => localize(text, { dir: demoDir(), hubPort, webPort });
  const steps = parseSteps(readmeSection('quickstart-browser'));
  const step = (n: number): Step => {
    const s = steps[n - 1];
    if (!s) throw new Error(`the README's browser walkthrough has no step ${n}`);
    return s;
  };
  const viewerToken = /SERFBORT_VIEWER_TOKEN=(\S+) npm start/.exec(
    readFileSync(join(REPO, 'README.md'), 'utf8'),
  )?.[1];

  const nav = (label: string) =>
    page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: label });
  const artifacts = join(REPO, 'test/artifacts');
  const shot = (name: string) =>
    page.screenshot({ path: join(artifacts, `quickstart-browser-${name}.png`) });
  const keyStatus = (p: Page = page) => p.locator('[data-testid=key-status]');
  const card = (title: string): Locator =>
    page.locator('section', { has: page.getByRole('heading', { name: title, exact: true }) });

  beforeAll(async () => {
    expect(steps.length, 'numbered steps in the README browser walkthrough').toBe(6);
    expect(viewerToken, 'the README names a demo viewer token').toBeTruthy();
    mkdirSync(artifacts, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'serfbort-quickstart-browser-'));
    await ensureDashboardBuilt();
    hubPort = await freePort();
    webPort = await freePort();
    // started as the README's viewer paragraph says, so that paragraph can be tried too
    demo = new DemoProcess(demoDir(), hubPort, [], webPort, {
      SERFBORT_VIEWER_TOKEN: viewerToken,
    });
    await demo.waitFor(/serfbort demo is running/, 1, 120_000);
    await demo.waitFor(/waiting for approval/, 3);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    collectConsoleErrors(page, consoleErrors);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    const code = await demo?.stop();
    // what the demo printed (the agents' fingerprints and logs), for a failed run
    if (demo) writeFileSync(join(artifacts, 'quickstart-browser-demo.log'), demo.output);
    expect(code).toBe(0);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('1. generates a key in the browser under Keys & trust', async () => {
    const s = step(1);
    const url = /(https?:\/\/127\.0\.0\.1:\d+)/.exec(here(s.text))?.[1];
    expect(url).toBe(`http://127.0.0.1:${webPort}`);
    await page.goto(url!);
    await nav(s.bold[0]!).click();
    const [where, name, pass, repeat] = s.italic;
    const form = card(where!);
    await form.getByLabel(name!, { exact: true }).fill(NAME);
    await form.getByLabel(pass!, { exact: true }).fill(PASSPHRASE);
    await form.getByLabel(repeat!, { exact: true }).fill(PASSPHRASE);
    await form.getByRole('button', { name: s.bold[1]! }).click();
    await page
      .getByText(/^serfbort trust add-operator /)
      .first()
      .waitFor({ timeout: 60_000 });
    await shot('1-key-generated');
  });

  it('2. the administrator authorizes the key with the command the page shows', async () => {
    const s = step(2);
    const shown = s.code[0]!.replace(/\s*…$/, '');
    const command = (await page
      .getByText(new RegExp(`^${shown} `))
      .first()
      .textContent())!.trim();
    expect(command).toMatch(new RegExp(`^${shown} [A-Za-z0-9+/]{43}= --name ${NAME}$`));
    // before: the hub does not know this key (step 3 names what the status bar says)
    await expect.poll(() => keyStatus().textContent(), { timeout: 30_000 }).toBe(step(3).italic[0]);
    const block = here(shellBlock(s.text));
    const placeholder = `${shown} KEY --name NAME`;
    expect(block, 'the README line to paste the command into').toContain(placeholder);
    const run = spawnSync(
      'bash',
      ['-c', `set -euo pipefail\nshopt -s expand_aliases\n${block.replace(placeholder, command)}`],
      {
        cwd: REPO,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
        timeout: 120_000,
      },
    );
    expect(run.status, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
  });

  it('3. logs in as that operator by itself, and asks for the passphrase after a reload', async () => {
    const s = step(3);
    const seconds = NUMBERS[/Within (\w+) seconds/.exec(s.text)?.[1] ?? ''];
    expect(seconds, 'step 3 says within how many seconds').toBeTruthy();
    // the README's promise, plus headroom for a machine shared by parallel test runs
    await expect
      .poll(() => keyStatus().textContent(), { timeout: seconds! * 1000 + 10_000 })
      .toBe(NAME);
    await page.reload();
    await page.getByLabel(s.italic[1]!, { exact: true }).first().fill(PASSPHRASE);
    await page.getByRole('button', { name: s.bold[0]!, exact: true }).first().click();
    await expect.poll(() => keyStatus().textContent(), { timeout: 30_000 }).toBe(NAME);
  });

  it('4. approves each agent after comparing its fingerprint with the one it printed', async () => {
    const s = step(4);
    await nav(s.bold[0]!).click();
    const pending = card(s.italic[0]!);
    await shot('4-agents-waiting');
    const hosts = s.code.slice(0, 3);
    expect(hosts).toEqual(['weba', 'webb', 'canary']);
    const fingerprintFile = s.code.find((c) => c.endsWith('/fingerprint'))!;
    for (const host of hosts) {
      const row = pending.locator('li').filter({ has: page.getByText(host, { exact: true }) });
      await row.waitFor({ timeout: 30_000 });
      const printed = readFileSync(here(fingerprintFile).replace('NAME', host), 'utf8').trim();
      expect(demo.output).toMatch(new RegExp(`\\[${host}\\].*fingerprint=${printed}`));
      await expect(row.getByText(printed, { exact: true }).count()).resolves.toBe(1);
      await row.getByRole('button', { name: s.bold[1]! }).click();
      await row.waitFor({ state: 'detached', timeout: 30_000 });
    }
  });

  it('5. deploys v2 to role=web after reviewing the exact bytes it signs', async () => {
    const s = step(5);
    const [app, selector, version] = s.code;
    expect([app, selector, version]).toEqual(['web', 'role=web', 'v2']);
    await nav(s.bold[0]!).click();
    await page.getByLabel(s.italic[0]!, { exact: true }).fill(app!);
    await page.getByRole('textbox', { name: /selector/ }).fill(selector!);
    await page.getByLabel(s.italic[1]!, { exact: true }).fill(version!);
    // the matching hosts appear as you type (online, approved a moment ago)
    await shot('5-deploy-form');
    const preview = page.locator('[data-testid=preview-hosts]');
    for (const host of step(4).code.slice(0, 3))
      await preview.getByText(host, { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: s.bold[1]! }).click();
    const dialog = page.getByRole('dialog');
    const signed = JSON.parse((await dialog.locator('[data-testid=signed-json]').textContent())!);
    expect(signed).toMatchObject({ type: 'deploy', app, version, target: { selector } });
    await dialog.getByRole('button', { name: s.bold[2]! }).click();
    await page.waitForURL(/\/deployments\//, { timeout: 60_000 });
  });

  it('6. the live view shows each host’s output and a ✓ when its receipt verifies', async () => {
    const s = step(6);
    expect(s.text).toContain('✓');
    for (const host of step(4).code.slice(0, 3)) {
      const row = page.locator(`li[data-host="${host}"]`);
      await row.getByText('✓', { exact: false }).waitFor({ timeout: 60_000 });
      await expect(row.getAttribute('data-state')).resolves.toBe('succeeded');
      await row.getByRole('button').first().click();
      await page
        .getByText(`deployed ${step(5).code[2]}`)
        .first()
        .waitFor();
      expect(readFileSync(join(demoDir(), 'hosts', host, 'app/VERSION'), 'utf8').trim()).toBe(
        step(5).code[2],
      );
    }
    expect(await page.locator('[data-testid=receipt-unverified]').count()).toBe(0);
    await shot('6-live-view');
  });

  it('unlocks tabs opened later, and Lock in one tab locks them all', async () => {
    const p = parseWords(readmeParagraph('**One unlocked session for all tabs'));
    const lock = named(p.bold, 'Lock');
    const second = await context.newPage();
    collectConsoleErrors(second, consoleErrors);
    await second.goto(`http://127.0.0.1:${webPort}/fleet`);
    await expect.poll(() => keyStatus(second).textContent(), { timeout: 30_000 }).toBe(NAME);
    await nav(step(1).bold[0]!).click();
    await page.getByRole('button', { name: lock, exact: true }).click();
    await expect.poll(() => keyStatus(second).textContent(), { timeout: 15_000 }).toBe('Locked');
    await expect.poll(() => keyStatus().textContent()).toBe('Locked');
    await second.close();
  });

  it('watches with the viewer token, without a key', async () => {
    const p = parseWords(readmeParagraph('**Watching without a key.**'));
    const field = named(p.italic, 'Viewer token');
    const button = named(p.bold, 'Watch only');
    const status = named(p.italic, 'viewer (read-only)');
    const history = named(p.text.match(/Fleet, Deployments, Rollouts and (\w+)/) ?? [], 'History');
    const viewer = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const watch = await viewer.newPage();
    collectConsoleErrors(watch, consoleErrors);
    await watch.goto(`http://127.0.0.1:${webPort}/fleet`);
    await watch.getByLabel(field, { exact: true }).first().fill(viewerToken!);
    await watch.getByRole('button', { name: button }).first().click();
    await expect.poll(() => keyStatus(watch).textContent(), { timeout: 30_000 }).toBe(status);
    await watch
      .getByRole('navigation', { name: 'Main', exact: true })
      .getByRole('link', { name: history })
      .click();
    await watch
      .locator('[data-testid=history-table] tbody tr', { hasText: step(5).code[2]! })
      .first()
      .waitFor({ timeout: 30_000 });
    await viewer.close();
  });

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
