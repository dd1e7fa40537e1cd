import { describe, expect, it } from 'vitest';
import { ADMISSION_DEFAULTS } from './admission.js';
import { parseHubConfig } from './config.js';
import { hubConfigFrom } from './env.js';

const base = { SERFBORT_HUB_DATA: '/tmp/hub' };

describe('admission bounds in the hub configuration', () => {
  it('default to an hour of pending lifetime and per-address buckets', () => {
    const config = parseHubConfig(hubConfigFrom({}, base));
    expect(config.admission).toEqual(ADMISSION_DEFAULTS);
    expect(config.admission.pendingTtlMs).toBe(3_600_000);
  });

  it('are read from the environment, any subset', () => {
    const config = parseHubConfig(
      hubConfigFrom(
        {},
        { ...base, SERFBORT_HUB_PENDING_TOTAL: '500', SERFBORT_HUB_PENDING_TTL_MS: '60000' },
      ),
    );
    expect(config.admission).toEqual({
      ...ADMISSION_DEFAULTS,
      pendingTotal: 500,
      pendingTtlMs: 60_000,
    });
  });

  it('refuse a bound that is not a positive number, naming it', () => {
    expect(() =>
      parseHubConfig(hubConfigFrom({}, { ...base, SERFBORT_HUB_PENDING_PER_ADDRESS: 'many' })),
    ).toThrow(/admission\.pendingPerAddress/);
  });
});
