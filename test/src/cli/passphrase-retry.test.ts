import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE, errorCode, runCli, scratchDir } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * A passphrase typed on a terminal can be mistyped: the real CLI on a pseudo-terminal
 * (util-linux `script`) asks again instead of ending the command.
 */
const scratch = scratchDir('passphrase-retry');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: scratch.dir,
  NO_COLOR: '1',
  SERFBORT_SCRYPT_LOG_N: '10',
};

/** `serfbort trust init` (it decrypts the root key) on a terminal, typing each answer at its prompt. */
function initOnTerminal(out: string, answers: string[]): Promise<{ code: number; output: string }> {
  const args = ['trust', 'init', '--root-key', 'root.key.json', '--out', out];
  const command = [process.execPath, BUNDLE, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: scratch.dir, env });
    let output = '';
    let prompts = 0;
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const seen = output.split('Passphrase for').length - 1;
      while (prompts < seen) child.stdin.write(`${answers[prompts++] ?? ''}\r`);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

beforeAll(async () => {
  const made = await runCli(['key', 'generate', '--out', 'root.key.json', '--name', 'root'], {
    cwd: scratch.dir,
    env: { SERFBORT_PASSPHRASE: 'right' },
  });
  expect(made.code, made.stderr).toBe(0);
});
afterAll(() => scratch.remove());

describe('a mistyped passphrase on a terminal', () => {
  it('is asked again, and the right one goes on', async () => {
    const r = await initOnTerminal('root-a.json', ['wrong', 'right']);
    expect(r.output).toMatch(/wrong passphrase; try again \(2 tries left\)/);
    expect(r.code, r.output).toBe(0);
    expect(existsSync(join(scratch.dir, 'root-a.json'))).toBe(true);
  });

  it('three wrong ones end the command with WRONG_PASSPHRASE, exit 2, nothing written', async () => {
    const r = await initOnTerminal('root-b.json', ['one', 'two', 'three']);
    expect(r.output).toMatch(/1 try left/);
    expect(r.output).toMatch(/WRONG_PASSPHRASE/);
    expect(r.code).toBe(2);
    expect(existsSync(join(scratch.dir, 'root-b.json'))).toBe(false);
  });

  it('a wrong passphrase from the environment is not retried (nobody to ask)', async () => {
    const r = await runCli(
      ['trust', 'init', '--root-key', 'root.key.json', '--out', 'root-c.json'],
      { cwd: scratch.dir, env: { SERFBORT_PASSPHRASE: 'wrong' } },
    );
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('WRONG_PASSPHRASE');
  });
});
