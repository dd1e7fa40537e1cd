import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '@serfbort/testkit/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const home = scratchDir();
afterAll(() => home.remove());

describe('loadConfig', () => {
  const file = join(home.dir, 'config.json');
  writeFileSync(file, JSON.stringify({ hub: ['http://a:1', 'http://b:2'], key: '~/keys/me.json' }));

  it('takes hub and key from the config file, expanding ~', () => {
    const c = loadConfig({}, { SERFBORT_CONFIG: file, HOME: home.dir });
    expect(c.hubs).toEqual(['http://a:1', 'http://b:2']);
    expect(c.keyPath).toMatch(/keys\/me\.json$/);
  });

  it('prefers flags over environment over the file', () => {
    expect(loadConfig({}, { SERFBORT_CONFIG: file, SERFBORT_HUB: 'http://env:1' }).hubs).toEqual([
      'http://env:1',
    ]);
    expect(
      loadConfig(
        { hub: 'http://flag:1,http://flag:2' },
        { SERFBORT_CONFIG: file, SERFBORT_HUB: 'http://env:1' },
      ).hubs,
    ).toEqual(['http://flag:1', 'http://flag:2']);
  });

  it('never colours with NO_COLOR, and not when the flag says no', () => {
    expect(loadConfig({}, { SERFBORT_CONFIG: file, NO_COLOR: '1', CI: 'true' }).colorOut).toBe(
      false,
    );
    expect(loadConfig({ color: false }, { SERFBORT_CONFIG: file }).colorErr).toBe(false);
  });

  it('refuses unknown fields and bad URLs with clear codes', () => {
    mkdirSync(join(home.dir, 'bad'), { recursive: true });
    const bad = join(home.dir, 'bad', 'config.json');
    writeFileSync(bad, JSON.stringify({ hubs: 'http://x' }));
    expect(() => loadConfig({}, { SERFBORT_CONFIG: bad })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => loadConfig({ hub: 'ftp://x' }, { SERFBORT_CONFIG: file })).toThrow(
      expect.objectContaining({ code: 'BAD_HUB_URL' }),
    );
    expect(() => loadConfig({}, { SERFBORT_CONFIG: join(home.dir, 'nope.json') })).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
  });

  it('reads the testing-only scrypt cost and refuses nonsense', () => {
    expect(loadConfig({}, { SERFBORT_CONFIG: file, SERFBORT_SCRYPT_LOG_N: '10' }).scrypt).toEqual({
      N: 1024,
      r: 8,
      p: 1,
    });
    expect(() => loadConfig({}, { SERFBORT_CONFIG: file, SERFBORT_SCRYPT_LOG_N: '99' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
