import { spawn, spawnSync } from 'node:child_process';
import { BUNDLE, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, describe, expect, it } from 'vitest';

// a real terminal: util-linux `script` runs the CLI on a pseudo-terminal
const hasScript = spawnSync('script', ['--version']).status === 0;
const home = scratchDir();
afterAll(() => home.remove());

interface Session {
  /** resolves once the terminal shows `text` */
  waitFor(text: string): Promise<void>;
  type(text: string): void;
  exit: Promise<{ code: number; screen: string }>;
}

function terminal(args: string[], extraEnv: Record<string, string> = {}): Session {
  const command = [process.execPath, BUNDLE, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: home.dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home.dir,
      SERFBORT_SCRYPT_LOG_N: '10',
      TERM: 'xterm',
      ...extraEnv,
    },
  });
  let screen = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    for (const w of waiters.filter((w) => screen.includes(w.text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    waitFor: (text) =>
      screen.includes(text)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ text, resolve })),
    type: (text) => child.stdin.write(text),
    exit: new Promise((resolve) =>
      child.on('close', (code) => resolve({ code: code ?? -1, screen })),
    ),
  };
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('asks for a new passphrase twice without echoing it', async () => {
    const t = terminal(['key', 'generate', '--out', 'tty.key.json']);
    await t.waitFor('Passphrase for');
    t.type('hunter2-secret\r');
    await t.waitFor('Repeat the passphrase');
    t.type('hunter2-secret\r');
    const { code, screen } = await t.exit;
    expect(code).toBe(0);
    expect(screen).toContain('wrote');
    expect(screen).not.toContain('hunter2-secret');
    const check = await runCli(['key', 'show', 'tty.key.json', '--verify'], {
      cwd: home.dir,
      env: { SERFBORT_PASSPHRASE: 'hunter2-secret' },
    });
    expect(check.code).toBe(0);
  });

  it('different passphrases are refused (exit 2)', async () => {
    const t = terminal(['key', 'generate', '--out', 'tty2.key.json']);
    await t.waitFor('Passphrase for');
    t.type('one-passphrase\r');
    await t.waitFor('Repeat the passphrase');
    t.type('another-passphrase\r');
    const { code, screen } = await t.exit;
    expect(code).toBe(2);
    expect(screen).toContain('PASSPHRASE_MISMATCH');
  });

  it('signs only after a yes, and signs nothing after a no', async () => {
    expect(
      (
        await runCli(['trust', 'init', '--root-key', 'tty.key.json', '--out', 'root.json'], {
          cwd: home.dir,
          env: { SERFBORT_PASSPHRASE: 'hunter2-secret' },
        })
      ).code,
    ).toBe(0);
    const no = terminal(['trust', 'sign', 'root.json', '--root-key', 'tty.key.json']);
    await no.waitFor('[y/N]');
    no.type('n\r');
    const refused = await no.exit;
    expect(refused.code).toBe(2);
    expect(refused.screen).toContain('CANCELLED');
    const yes = terminal(['trust', 'sign', 'root.json', '--root-key', 'tty.key.json']);
    await yes.waitFor('[y/N]');
    yes.type('y\r');
    await yes.waitFor('Passphrase for');
    yes.type('hunter2-secret\r');
    const signed = await yes.exit;
    expect(signed.code).toBe(0);
    expect(signed.screen).toContain('signed');
  });

  it('colours on a terminal, but never with NO_COLOR; never when piped, even in CI', async () => {
    const ESC = '\u001b[';
    expect((await terminal(['key', 'show', 'tty.key.json']).exit).screen).toContain(ESC);
    expect(
      (await terminal(['key', 'show', 'tty.key.json'], { NO_COLOR: '1' }).exit).screen,
    ).not.toContain(ESC);
    const piped = await runCli(['key', 'show', 'tty.key.json'], {
      cwd: home.dir,
      env: { NO_COLOR: undefined, CI: 'true', FORCE_COLOR: '1' },
    });
    expect(piped.stdout).not.toContain(ESC);
  });
});
