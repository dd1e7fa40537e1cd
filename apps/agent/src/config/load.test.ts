import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@serfbort/core';
import { standardTrust } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

const fingerprint = 'a'.repeat(64);
const base = {
  hub: 'http://127.0.0.1:7700',
  name: 'web-1',
  trust: { rootFingerprint: fingerprint },
  stateDir: './state',
  apps: { web: { deploy: ['./deploy.sh', '{version}'], version: ['cat', 'VERSION'] } },
};

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).field;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('resolves paths against the config file and fills defaults', () => {
    const c = loadConfig({ raw: base, baseDir: '/etc/serfbort', env: {} });
    expect(c.stateDir).toBe('/etc/serfbort/state');
    expect(c.apps.web?.cwd).toBe('/etc/serfbort');
    expect(c.apps.web?.timeoutMs).toBe(600_000);
    expect(c.trust.rootDigest).toBe(fingerprint);
    expect(c.hubs).toEqual(['http://127.0.0.1:7700']);
  });

  it("reads durations in the CLI's grammar (client's one parser), and YAML numbers as seconds", () => {
    const app = (timeout: unknown) => ({
      ...base,
      apps: { web: { ...base.apps.web, timeout, versionTimeout: 45 } },
    });
    expect(loadConfig({ raw: app('1d'), env: {} }).apps.web?.timeoutMs).toBe(86_400_000);
    expect(loadConfig({ raw: app('90s'), env: {} }).apps.web?.versionTimeoutMs).toBe(45_000);
    expect(fieldOf(() => loadConfig({ raw: app('1.5h'), env: {} }))).toBe('apps.web.timeout');
  });

  it('turns a label list into a map; bare labels have an empty value', () => {
    const c = loadConfig({ raw: { ...base, labels: ['role=web', 'canary'] }, env: {} });
    expect(c.labels).toEqual({ role: 'web', canary: '' });
  });

  it('lets flags win over the environment and the environment over the file', () => {
    const env = { SERFBORT_AGENT_NAME: 'from-env', SERFBORT_HUB: 'http://a:1,http://b:2' };
    expect(loadConfig({ raw: base, env }).name).toBe('from-env');
    expect(loadConfig({ raw: base, env }).hubs).toEqual(['http://a:1', 'http://b:2']);
    expect(loadConfig({ raw: base, env, flags: { name: 'from-flag' } }).name).toBe('from-flag');
  });

  it('keeps SERFBORT_* variables (tokens) out of the deploy environment', () => {
    const c = loadConfig({
      raw: base,
      env: { PATH: '/bin', SERFBORT_ENROLLMENT_TOKEN: 'x'.repeat(20) },
    });
    expect(c.childEnv).toEqual({ PATH: '/bin' });
    expect(c.enrollmentToken).toBe('x'.repeat(20));
  });

  it('names the field of a number where a string belongs, and says to quote it', () => {
    const field = fieldOf(() =>
      loadConfig({ raw: { ...base, labels: { version: 1.1 } }, env: {} }),
    );
    expect(field).toBe('labels.version');
    try {
      loadConfig({ raw: { ...base, labels: { version: 1.1 } }, env: {} });
    } catch (e) {
      expect((e as Error).message).toMatch(/quote it/);
    }
  });

  it.each([
    ['hub', { ...base, hub: 'not a url' }],
    ['trust', { ...base, trust: {} }],
    ['trust.rootFingerprint', { ...base, trust: { rootFingerprint: 'abc' } }],
    ['apps.web.timeout', { ...base, apps: { web: { ...base.apps.web, timeout: 'soon' } } }],
    ['apps.web.deploy', { ...base, apps: { web: { ...base.apps.web, deploy: [] } } }],
    ['apps.web.deploy.1', { ...base, apps: { web: { ...base.apps.web, deploy: ['./d.sh', 2] } } }],
    ['apps.web.surprise', { ...base, apps: { web: { ...base.apps.web, surprise: 1 } } }],
    ['name', { ...base, name: 'Not_A_Host' }],
    ['stateDir', { ...base, stateDir: undefined }],
  ])('refuses a bad %s', (field, raw) => {
    expect(fieldOf(() => loadConfig({ raw, env: {} }))).toBe(field);
  });

  it('reads YAML files and names the line of a syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
    const path = join(dir, 'agent.yaml');
    writeFileSync(path, 'hub: http://127.0.0.1:7700\nname: [unclosed\n');
    expect(fieldOf(() => loadConfig({ path, env: {} }))).toMatch(/^line \d+$/);
  });

  it('verifies a pinned root file when the config is loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
    const { root } = standardTrust();
    writeFileSync(join(dir, 'root.json'), JSON.stringify(root.envelope));
    const c = loadConfig({ raw: { ...base, trust: { root: 'root.json' } }, baseDir: dir, env: {} });
    expect(c.trust.root).toEqual(root.envelope);
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ ...root.envelope, payload: Buffer.from('{}').toString('base64') }),
    );
    expect(
      fieldOf(() =>
        loadConfig({ raw: { ...base, trust: { root: 'bad.json' } }, baseDir: dir, env: {} }),
      ),
    ).toBe('trust.root');
    expect(sha256Hex(Buffer.from(root.envelope.payload, 'base64'))).toHaveLength(64);
  });
});

describe('an app health check', () => {
  const withCheck = (healthCheck: unknown) => ({
    ...base,
    apps: { web: { ...base.apps.web, healthCheck } },
  });
  const load = (healthCheck: unknown) =>
    loadConfig({ raw: withCheck(healthCheck), env: {} }).apps.web?.healthCheck;

  it('reads an argv list as the command with the default retries, interval and timeout', () => {
    expect(load(['curl', '-fsS', 'http://127.0.0.1:8080/healthz'])).toEqual({
      command: ['curl', '-fsS', 'http://127.0.0.1:8080/healthz'],
      retries: 2,
      intervalMs: 2000,
      timeoutMs: 10_000,
      startDelayMs: 0,
    });
  });

  it('reads a mapping with every field, in the durations the rest of the config uses', () => {
    expect(
      load({
        command: ['./healthy.sh'],
        retries: 5,
        interval: '500ms',
        timeout: 30,
        startDelay: '0s',
      }),
    ).toEqual({
      command: ['./healthy.sh'],
      retries: 5,
      intervalMs: 500,
      timeoutMs: 30_000,
      startDelayMs: 0,
    });
  });

  it('has none unless configured', () => {
    expect(loadConfig({ raw: base, env: {} }).apps.web?.healthCheck).toBeUndefined();
  });

  it.each([
    ['apps.web.healthCheck', 'curl'],
    ['apps.web.healthCheck', []],
    ['apps.web.healthCheck.1', ['curl', 8080]],
    ['apps.web.healthCheck.command', { retries: 1 }],
    ['apps.web.healthCheck.command', { command: [] }],
    ['apps.web.healthCheck.retries', { command: ['true'], retries: -1 }],
    ['apps.web.healthCheck.retries', { command: ['true'], retries: 1.5 }],
    ['apps.web.healthCheck.retries', { command: ['true'], retries: 21 }],
    ['apps.web.healthCheck.retries', { command: ['true'], retries: '3' }],
    ['apps.web.healthCheck.interval', { command: ['true'], interval: 'often' }],
    ['apps.web.healthCheck.interval', { command: ['true'], interval: '1h' }],
    ['apps.web.healthCheck.timeout', { command: ['true'], timeout: '0s' }],
    ['apps.web.healthCheck.timeout', { command: ['true'], timeout: '10m' }],
    ['apps.web.healthCheck.startDelay', { command: ['true'], startDelay: -1 }],
    ['apps.web.healthCheck.surprise', { command: ['true'], surprise: 1 }],
  ])('refuses a bad %s: %j', (field, healthCheck) => {
    expect(fieldOf(() => loadConfig({ raw: withCheck(healthCheck), env: {} }))).toBe(field);
  });

  it('says what a duration over its bound may be', () => {
    expect(() => load({ command: ['true'], timeout: '10m' })).toThrow(
      'config: apps.web.healthCheck.timeout: must be at most 5m, got "10m"',
    );
  });
});

describe('the commented example config', () => {
  it('is a valid config (with the pinned root as a fingerprint)', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const example = parse(
      readFileSync(new URL('../../agent.example.yaml', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const c = loadConfig({
      raw: { ...example, trust: { rootFingerprint: 'b'.repeat(64) } },
      env: {},
    });
    expect(c.labels).toEqual({ role: 'web', dc: 'ams', canary: '' });
    expect(c.apps.web?.timeoutMs).toBe(600_000);
    expect(c.apps.web?.healthCheck?.command[0]).toBe('curl');
  });
});

describe('a release app', () => {
  const withRelease = (release: unknown, extra: Record<string, unknown> = {}) => ({
    ...base,
    apps: { web: { release, ...extra } },
  });
  const messageOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('needs neither a deploy argv nor a version command, and fills the defaults', () => {
    const c = loadConfig({
      raw: withRelease({ dir: 'srv/web' }),
      baseDir: '/etc/serfbort',
      env: {},
    });
    expect(c.apps.web?.deploy).toBeUndefined();
    expect(c.apps.web?.release).toEqual({
      dir: '/etc/serfbort/srv/web',
      keep: 5,
      hookTimeoutMs: 60_000,
      fetchTimeoutMs: 300_000,
      maxBytes: 1024 ** 3,
    });
  });

  it('reads the url template, hooks and limits', () => {
    const c = loadConfig({
      raw: withRelease({
        url: 'https://artifacts.internal/web/{version}.tar.gz',
        dir: '/srv/web',
        keep: 3,
        before: ['npm', 'ci'],
        after: ['systemctl', 'reload', 'web'],
        hookTimeout: '2m',
        fetchTimeout: 30,
        maxBytes: 1000,
      }),
      env: {},
    });
    expect(c.apps.web?.release).toMatchObject({
      url: 'https://artifacts.internal/web/{version}.tar.gz',
      keep: 3,
      before: ['npm', 'ci'],
      hookTimeoutMs: 120_000,
      fetchTimeoutMs: 30_000,
      maxBytes: 1000,
    });
  });

  it.each([
    ['a relative url', { dir: '/srv/web', url: 'web/{version}.tgz' }, 'apps.web.release.url'],
    ['keep 0', { dir: '/srv/web', keep: 0 }, 'apps.web.release.keep'],
    ['no dir', { keep: 2 }, 'apps.web.release.dir'],
    ['an unknown field', { dir: '/srv/web', mirror: 'x' }, 'apps.web.release.mirror'],
  ])('refuses %s, naming the field', (_what, release, field) => {
    expect(fieldOf(() => loadConfig({ raw: withRelease(release), env: {} }))).toBe(field);
  });

  it('an app with neither deploy nor release is refused, saying what is missing', () => {
    const raw = { ...base, apps: { web: { version: ['cat', 'VERSION'] } } };
    expect(messageOf(() => loadConfig({ raw, env: {} }))).toContain('apps.web.deploy');
  });
});
