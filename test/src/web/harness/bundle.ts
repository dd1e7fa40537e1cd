import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot } from './processes.js';

const webSrc = join(repoRoot, 'apps/web/src');

/**
 * A script importing dashboard modules from apps/web/src, bundled as the dashboard bundles
 * them (React production build) into one browser script.
 */
export async function bundleWebViews(
  contents: string,
  extra: Pick<BuildOptions, 'banner' | 'plugins'> = {},
): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: webSrc, loader: 'tsx' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: join(webSrc, '../tsconfig.json'),
    ...extra,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * A blank page holding the bundled script, its uncaught errors collected; without the app's
 * CSS, the style gives the scroll container the size the layout gives it.
 */
export async function pageWithScript(
  browser: Browser,
  script: string,
  style: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(`<style>${style}</style><div id="root"></div>`);
  await page.addScriptTag({ content: script });
  expect(errors).toEqual([]);
  return { page, errors };
}
