import type { CliRun } from '@serfbort/testkit/cli';
import { errorCode, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from './lying-operator-hub.js';
import { startLyingOperatorHub } from './lying-operator-hub.js';

// what a hostile hub or agent would like a terminal to obey: colour, a cleared screen, a new
// window title, a bell, a NUL, a C1 CSI, a bidi override, and a line of its own
const NASTY =
  '\u001b[31mred\u001b[0m\u001b[2J\u001b]0;owned\u0007\u0000\u009b1m\u202e\nerror [FAKE]';

/** Any byte a terminal acts on: C0 (tab and newline aside), DEL, C1, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const now = Date.now();
const host = {
  name: 'weba',
  labels: { role: 'web' },
  state: 'online',
  approved: true,
  keyId: 'k'.repeat(32),
  agentVersion: NASTY,
  lastSeen: now,
  apps: { shop: { version: `v1${NASTY}`, reportedAt: now } },
  lastDeploys: {},
  pendingDeploys: [{ requestId: 'r1', app: 'shop', version: `v2${NASTY}`, expiresAt: now + 1 }],
};
const refusal = (message: string): Answer => ({ ok: false, error: { code: 'NOT_FOUND', message } });

const home = scratchDir();
let hub: Awaited<ReturnType<typeof startLyingOperatorHub>>;
const run = (args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: home.dir, env: { SERFBORT_PASSPHRASE: 'pw', SERFBORT_HUB: hub.url } });

beforeAll(async () => {
  hub = await startLyingOperatorHub({
    'hosts:list': { ok: true, data: [host] },
    'lock:status': {
      ok: true,
      data: {
        app: 'shop',
        rolloutId: `r${NASTY}`,
        ownerName: NASTY,
        ownerKeyId: 'k'.repeat(32),
        acquiredAt: now,
        expiresAt: now + 60_000,
      },
    },
    'rollout:list': refusal(`no such thing ${NASTY}`),
    'agents:pending': {
      ok: true,
      data: [
        {
          name: `evil${NASTY}`,
          publicKey: `${'A'.repeat(43)}=`,
          labels: { role: NASTY },
          apps: [NASTY],
          firstSeen: now,
        },
      ],
    },
  });
  const key = await run(['key', 'generate', '--name', 'alice']);
  expect(key.code).toBe(0);
});
afterAll(async () => {
  await hub.close();
  home.remove();
});

describe('text from the hub or an agent on a terminal', () => {
  it('list: versions and pending deploys reach the terminal with no control character', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v1red');
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).not.toContain('[2J');
    expect(r.stdout).not.toMatch(/^error \[FAKE\]/m);
  });

  it('list --json keeps the data as it came (JSON escapes it)', async () => {
    const r = await run(['list', '--json']);
    expect(r.code).toBe(0);
    expect(
      r.json<{ hosts: { apps: { shop: { version: string } } }[] }>().hosts[0]?.apps.shop.version,
    ).toBe(`v1${NASTY}`);
  });

  it("lock status: the lock owner's name is shown without its escapes", async () => {
    const r = await run(['lock', 'status', 'shop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('of red');
    expect(r.stdout).not.toMatch(CONTROL);
  });

  it('agents pending: what a not yet trusted agent says about itself is shown without escapes', async () => {
    const r = await run(['agents', 'pending']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('evilred');
    expect(r.stdout).not.toMatch(CONTROL);
  });

  it("a hub's refusal message is printed without its escapes, on one line", async () => {
    const r = await run(['rollout', 'list']);
    expect(r.code).toBe(3);
    expect(errorCode(r)).toBe('NOT_FOUND');
    expect(r.stderr).toContain('no such thing red');
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(/^error \[FAKE\]/m);
  });
});
