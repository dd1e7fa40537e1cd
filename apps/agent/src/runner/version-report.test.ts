import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARK, VERSION_REPORT_CHARS } from './clean-version.js';
import { reportVersion } from './version-report.js';

const dir = mkdtempSync(join(tmpdir(), 'version-report-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function versionCommand(name: string, body: string, timeoutMs = 5000) {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return reportVersion({ argv: [path], cwd: dir, env, timeoutMs });
}

describe('a version report is data, not terminal bytes', () => {
  it('drops NUL bytes and removes escape sequences whole', async () => {
    const r = await versionCommand('escapes.sh', "printf 'v1\\000.2\\033[31m-red\\033[0m\\007\\n'");
    expect(r).toMatchObject({ version: 'v1.2-red' });
    expect([...(r.version ?? '')].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
  });

  it('skips lines that are nothing but escapes, and takes the first line with text', async () => {
    const r = await versionCommand(
      'blank-first.sh',
      "printf '\\033[2J\\n\\n  abc123  \\nlater\\n'",
    );
    expect(r.version).toBe('abc123');
  });

  it('cuts 10 MB of output at 256 characters and says so', async () => {
    const r = await versionCommand('huge.sh', 'head -c 10485760 /dev/zero | tr "\\000" "a"');
    expect(r.version).toBe(`${'a'.repeat(VERSION_REPORT_CHARS)}${TRUNCATION_MARK}`);
  });

  it('keeps non-ASCII text and replaces bytes that are not UTF-8', async () => {
    const r = await versionCommand('utf8.sh', "printf 'v2-\\303\\251t\\303\\251-\\377\\n'");
    expect(r.version).toBe('v2-été-\uFFFD');
  });

  it.each([
    ['printed nothing', 'empty.sh', 'true', /printed nothing/],
    ['exit 3', 'exit3.sh', 'echo "\\033[31mboom\\033[0m" >&2; exit 3', /^exit 3: boom$/],
  ])('reports no version when the command %s', async (_what, name, body, error) => {
    const r = await versionCommand(name, body);
    expect(r.version).toBeNull();
    expect(r.error).toMatch(error);
  });

  it('reports no version when the command hangs past its timeout', async () => {
    const r = await versionCommand('hang.sh', 'exec sleep 60', 300);
    expect(r.version).toBeNull();
    expect(r.error).toMatch(/timed out after 300 ms/);
  });
});
