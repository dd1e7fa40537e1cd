import { chromium } from 'playwright-core';
import { startDashboard } from './src/web/harness/dashboard.js';
import { freePort } from './src/web/harness/processes.js';
const port = await freePort();
const web = await startDashboard({ port, hubUrl: 'http://127.0.0.1:9' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const ctx = await browser.newContext();
await ctx.addInitScript(() => {
  const seen: string[] = [];
  (window as any).__csp = seen;
  document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
});
const page = await ctx.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text()));
for (const path of ['/history', '/charts', '/fleet', '/keys']) {
  await page.goto(`${web.url}${path}`);
  await page.waitForTimeout(2000);
  console.log(path, await page.evaluate(() => (window as any).__csp));
}
await browser.close();
await web.close();
