import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, isAlive } from '@serfbort/testkit/agent';
import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('runCommand', () => {
  it('runs argv without a shell: metacharacters stay one literal argument', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    const echo = script(dir, 'echo-arg.sh', 'printf "%s\\n" "$1"');
    const hostile = `$(touch ${dir}/pwned);touch ${dir}/pwned2 && \`touch ${dir}/pwned3\` | x > ${dir}/pwned4`;
    const result = await runCommand({ argv: [echo, hostile], cwd: dir, env, timeoutMs: 5000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${hostile}\n`);
    for (const f of ['pwned', 'pwned2', 'pwned3', 'pwned4'])
      expect(existsSync(join(dir, f))).toBe(false);
  });

  it('kills the whole process group on timeout: a child that sleeps is gone too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    const slow = script(dir, 'slow.sh', `sleep 300 &\necho $! > ${dir}/child.pid\nsleep 300`);
    const started = Date.now();
    const result = await runCommand({
      argv: [slow],
      cwd: dir,
      env,
      timeoutMs: 500,
      killGraceMs: 500,
    });
    expect(result.timedOut).toBe(true);
    // far below the 300 s sleep: it was killed, not waited for (a busy CI machine is slow)
    expect(Date.now() - started).toBeLessThan(30_000);
    const child = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    await eventually(() => !isAlive(child), 3000, 'the background sleep to die');
  });

  it('reports a program that cannot start', async () => {
    const result = await runCommand({
      argv: ['/nonexistent/deploy'],
      cwd: tmpdir(),
      env,
      timeoutMs: 1000,
    });
    expect(result.spawnError).toBe('ENOENT');
    expect(result.exitCode).toBeNull();
  });

  it('streams lines, cut to the line bound, and reports the exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    const noisy = script(
      dir,
      'noisy.sh',
      'echo one; echo two >&2; head -c 5000 /dev/zero | tr "\\0" x; echo; exit 3',
    );
    const lines: [string, string][] = [];
    const result = await runCommand({
      argv: [noisy],
      cwd: dir,
      env,
      timeoutMs: 5000,
      onLine: (s, t) => lines.push([s, t]),
    });
    expect(result.exitCode).toBe(3);
    expect(lines).toContainEqual(['stdout', 'one']);
    expect(lines).toContainEqual(['stderr', 'two']);
    expect(Math.max(...lines.map(([, t]) => t.length))).toBeLessThanOrEqual(2048);
  });

  it('ends the group when aborted (agent shutdown)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    const slow = script(dir, 'slow.sh', 'sleep 300');
    const controller = new AbortController();
    const running = runCommand({
      argv: [slow],
      cwd: dir,
      env,
      timeoutMs: 60_000,
      signal: controller.signal,
      killGraceMs: 200,
    });
    setTimeout(() => controller.abort(), 200);
    const result = await running;
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
  });
});
