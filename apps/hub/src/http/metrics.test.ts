import { spawnSync } from 'node:child_process';
import { standardTrust } from '@serfbort/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../testing/test-hub.js';
import { startTestHub } from '../testing/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ trust: standardTrust() });
});
afterAll(async () => {
  await hub?.dispose();
});

const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('/metrics', () => {
  it('uses the standard names for process and runtime metrics, so stock dashboards work', async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    expect(text).not.toMatch(/^serfbort_hub_process_/m);
  });

  it('passes promtool check metrics with no problem reported', async (t) => {
    // .ci/run installs Debian's prometheus package, which brings promtool
    if (!promtool) return t.skip();
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe('');
    expect(checked.status).toBe(0);
  });
});

describe('fleet gauges', () => {
  it('say where the agents are, how many keys wait, and when trust expires', async () => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    expect(text).toMatch(/^serfbort_agents\{presence="online"\} 0$/m);
    expect(text).toMatch(/^serfbort_pending_agents 0$/m);
    expect(text).toMatch(/^serfbort_rollouts\{status="running"\} 0$/m);
    const keyring = /^serfbort_trust_expiry_timestamp_seconds\{document="keyring"\} (\S+)$/m.exec(
      text,
    );
    expect(Number(keyring?.[1])).toBeGreaterThan(Date.now() / 1000);
  });
});
