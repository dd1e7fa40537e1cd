import { describe, expect, it } from 'vitest';
import { sourceOf } from './fetch.js';

const artifact = { sha256: 'ab'.repeat(32), size: 1 };

describe('where a release is fetched from', () => {
  it("is the config's template, the version encoded into a URL", () => {
    expect(sourceOf('https://a.example/web/{version}.tgz', artifact, 'release/1.2')).toBe(
      'https://a.example/web/release%2F1.2.tgz',
    );
  });

  it('is a local path with the version as is (it never holds ..)', () => {
    expect(sourceOf('/var/artifacts/{version}.tgz', artifact, 'v1')).toBe('/var/artifacts/v1.tgz');
  });

  it("falls back to the request's url, http(s) only: a host path is the host's to name", () => {
    expect(sourceOf(undefined, { ...artifact, url: 'https://b.example/x.tgz' }, 'v1')).toBe(
      'https://b.example/x.tgz',
    );
    expect(sourceOf(undefined, { ...artifact, url: '/etc/shadow' }, 'v1')).toBeUndefined();
    expect(sourceOf(undefined, { ...artifact, url: 'file:///etc/shadow' }, 'v1')).toBeUndefined();
    expect(sourceOf(undefined, artifact, 'v1')).toBeUndefined();
  });

  it('prefers the template: the request url is informative then', () => {
    expect(
      sourceOf('/srv/a/{version}.tgz', { ...artifact, url: 'https://evil.example/x' }, 'v2'),
    ).toBe('/srv/a/v2.tgz');
  });
});
