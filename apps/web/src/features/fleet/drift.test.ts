import type { HostView, LastDeployView } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { appStatuses, isDrifted } from './drift';

function host(version: string | null, last?: Partial<LastDeployView>, apps = ['web']): HostView {
  return {
    name: 'web-1',
    labels: { role: 'web' },
    state: 'online',
    approved: true,
    keyId: '0'.repeat(32),
    agentVersion: '0.1.0',
    lastSeen: 0,
    apps: Object.fromEntries(apps.map((a) => [a, { version, at: 0 }])),
    lastDeploys: last
      ? {
          [last.requestId ? 'web' : 'web']: {
            requestId: 'r1',
            version: 'v2',
            state: 'succeeded',
            versionAfter: 'v2',
            at: 0,
            ...last,
          },
        }
      : {},
    pendingDeploys: [],
  };
}

describe('drift', () => {
  it('is not drifted when the host reports what its last deploy left', () => {
    expect(isDrifted(host('v2', {}))).toBe(false);
    expect(appStatuses(host('v2', {}))[0]?.drift).toBeNull();
  });
  it('is drifted when the version changed since the last deploy', () => {
    expect(appStatuses(host('v1', {}))[0]?.drift).toBe('differs');
  });
  it('is drifted when the last deploy did not succeed', () => {
    expect(appStatuses(host('v1', { state: 'failed' }))[0]?.drift).toBe('failed');
    expect(appStatuses(host('v1', { state: 'expired' }))[0]?.drift).toBe('failed');
  });
  it('is in progress, not drifted, while a deploy runs', () => {
    expect(appStatuses(host('v1', { state: 'running' }))[0]?.drift).toBe('in-progress');
    expect(isDrifted(host('v1', { state: 'running' }))).toBe(false);
  });
  it('ignores deploys of apps the host does not have', () => {
    expect(isDrifted(host('v1', { state: 'rejected' }, []))).toBe(false);
  });
});
