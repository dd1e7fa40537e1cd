import { errorCode, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLyingOperatorHub } from './lying-operator-hub.js';

const home = scratchDir();
let hub: Awaited<ReturnType<typeof startLyingOperatorHub>>;
const env = () => ({ SERFBORT_PASSPHRASE: 'pw', SERFBORT_HUB: hub.url });

beforeAll(async () => {
  // a host list that is not a list: nothing the CLI has a code for
  hub = await startLyingOperatorHub({ 'hosts:list': { ok: true, data: 42 } });
  expect((await runCli(['key', 'generate'], { cwd: home.dir, env: env() })).code).toBe(0);
});
afterAll(async () => {
  await hub.close();
  home.remove();
});

describe('an internal (unexpected) error', () => {
  it('exits 4, not 1 like a failed host, says INTERNAL and prints no stack trace', async () => {
    const r = await runCli(['list'], { cwd: home.dir, env: env() });
    expect(r.code).toBe(4);
    expect(errorCode(r)).toBe('INTERNAL');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('with --json, the failure document carries exit code 4 too', async () => {
    const r = await runCli(['list', '--json'], { cwd: home.dir, env: env() });
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ error: { code: 'INTERNAL' }, exitCode: 4 });
  });
});
