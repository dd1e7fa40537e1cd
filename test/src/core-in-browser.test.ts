import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deployRequestOrThrow,
  parseDuration,
  precheckDeploy,
  signedBytesOf,
} from '@serfbort/client';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const coreEntry = join(here, '../../packages/core/src/index.ts');
const clientEntry = join(here, '../../packages/client/src/index.ts');

/** core and client must bundle for the browser platform: any node: import or Node-only dependency fails here. */
async function bundleFor(entry: string, globalName: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `export * from ${JSON.stringify(entry)};`,
      resolveDir: here,
      loader: 'ts',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('packages/core in the browser', () => {
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundleFor(coreEntry, 'serfbortCore');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('imports no node: module anywhere in its source', () => {
    const src = dirname(coreEntry);
    const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'),
    );
    expect(sources.length).toBeGreaterThan(20);
    for (const f of sources)
      expect(readFileSync(join(src, f), 'utf8'), f).not.toMatch(
        /from ['"](node:|fs|path|os|child_process|net|http)['"/]/,
      );
    expect(bundle).not.toMatch(/require\("node:|from "node:/);
  });

  it('verifies and admits, in Chromium, a request signed by Node', async () => {
    const now = Date.now();
    const { rootKey: _r, operatorKey, root, keyring } = standardTrust(now);
    const { envelope } = signDeploy(
      { app: 'web', version: 'v2', target: { selector: 'role=web,!canary' } },
      [operatorKey],
      now,
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><title>core</title>');
    await page.addScriptTag({ content: bundle });
    const verdict = await page.evaluate(
      ({ root, keyring, envelope, now }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle's global
        const core = (window as any).serfbortCore;
        const verifier = core.createVerifier();
        const r = core.verifyInitialRoot(root, verifier);
        const k = core.verifyKeyring(r.value.root, keyring, verifier, { now });
        const trust = { root: r.value, keyring: k.value };
        const agent = (name: string, labels: Record<string, string>) => ({
          name,
          labels,
          apps: ['web'],
        });
        const replay = { seen: () => false, lastAppliedAt: () => undefined };
        const decide = (a: ReturnType<typeof agent>) =>
          core.decideAdmission({ envelope, trust, agent: a, replay, now, verifier });
        const parsed = core.parseSelector('role=web,');
        return {
          web: decide(agent('weba', { role: 'web' })).accept,
          canary: decide(agent('canary', { role: 'web', canary: '' })).reason,
          parseError: parsed.ok ? null : parsed.error.position,
        };
      },
      { root: root.envelope, keyring: keyring.envelope, envelope, now },
    );
    expect(verdict).toEqual({ web: true, canary: 'TARGET_MISMATCH', parseError: 9 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('packages/client in the browser', () => {
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    bundle = await bundleFor(clientEntry, 'serfbortClient');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('imports no node: module anywhere in its source', () => {
    const src = dirname(clientEntry);
    const sources = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'),
    );
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources)
      expect(readFileSync(join(src, f), 'utf8'), f).not.toMatch(
        /from ['"](node:|fs|path|os|child_process|net|http)['"/]/,
      );
    expect(bundle).not.toMatch(/require\("node:|from "node:/);
  });

  it('pre-checks and builds, in Chromium, the request Node builds', async () => {
    const input = {
      app: 'web',
      version: 'v2',
      target: { selector: ' role==web , !canary' },
      lifetimeMs: 3_600_000,
    };
    const source = { now: 1_800_000_000_000, id: 'in-the-browser-0001', signer: 'a'.repeat(32) };
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><title>client</title>');
    await page.addScriptTag({ content: bundle });
    const inBrowser = await page.evaluate(
      ({ input, source }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the bundle's global
        const client = (window as any).serfbortClient;
        const checked = client.precheckDeploy(input);
        const request = client.deployRequestOrThrow(checked.fields, {
          now: () => source.now,
          newId: () => source.id,
          signerIds: [source.signer],
        });
        return { text: client.signedBytesOf(request).text, wait: client.parseDuration('7d') };
      },
      { input, source },
    );
    const checked = precheckDeploy(input);
    if (!checked.ok) throw new Error('the input should pass');
    const inNode = deployRequestOrThrow(checked.fields, {
      now: () => source.now,
      newId: () => source.id,
      signerIds: [source.signer],
    });
    expect(inBrowser).toEqual({ text: signedBytesOf(inNode).text, wait: parseDuration('7d') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
