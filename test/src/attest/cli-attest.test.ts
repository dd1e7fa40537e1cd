import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTarball } from '@serfbort/testkit';
import { errorCode } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, Fleet, trustedFleet } from '../cli/fleet.js';
import type { SslibKey } from './sslib.js';
import { sslibKeygen, sslibSign, sslibVerify } from './sslib.js';

/*
 * The README's attestation walkthrough with the real CLI, a real hub and agent: a builder
 * key in the keyring, an app that requires attestations, `serfbort attest`, and deploys with
 * and without one. securesystemslib checks what `serfbort attest` writes, and signs for a
 * second builder whose key was added in securesystemslib's own spelling (hex).
 */

interface DeployJson {
  hosts: { host: string; status: string; reason: string | null; versionAfter: string | null }[];
}

let fleet: Fleet;
let python: SslibKey;
const admin = (args: string[]) => fleet.cli('r1', args);
const alice = (args: string[]) => fleet.cli('alice', args);
const file = (name: string, bytes: Uint8Array | string) => {
  writeFileSync(join(fleet.dir, name), bytes);
  return name;
};
const weba = (r: { json<T>(): T }) => r.json<DeployJson>().hosts.find((h) => h.host === 'weba');

beforeAll(async () => {
  fleet = new Fleet();
  // artifacts are deployed as releases, fetched from the operator's directory here
  // (a file server in real life); the version is the release's
  fleet.appExtra = {
    shop: {
      release: { url: join(fleet.dir, 'shop-{version}.tar.gz'), dir: 'srv/shop' },
      version: undefined,
    },
  };
  await trustedFleet(fleet, ['weba']);
  python = sslibKeygen(fleet.dir, 'py-ci');
  const signed = ['--root-key', 'r1.key.json'];
  expectOk(await admin(['key', 'generate', '--out', 'ci.key.json', '--name', 'ci']), 'ci key');
  expectOk(
    await admin([
      'trust',
      'add-builder',
      'ci.key.json',
      '--name',
      'ci',
      '--apps',
      'shop',
      ...signed,
    ]),
    'add ci',
  );
  expectOk(
    await admin(['trust', 'add-builder', python.publicHex, '--name', 'py-ci', ...signed]),
    'add py-ci',
  );
  const req = expectOk(await admin(['trust', 'require-attestation', 'shop', ...signed]), 'require');
  expect(req.stdout).toContain(
    "policy shop: 1 operator signatures, and a listed builder's attestation",
  );
  expectOk(await admin(['trust', 'publish', 'keyring.json']), 'publish');
}, 180_000);
afterAll(async () => {
  await fleet?.close();
});

describe('serfbort attest', () => {
  it('writes a DSSE in-toto statement of the file that securesystemslib verifies', async () => {
    const artifact = makeTarball([{ name: 'index.html', body: randomBytes(4096) }]);
    file('shop-v3.tar.gz', artifact);
    const r = expectOk(
      await admin(['attest', '--builder-key', 'ci.key.json', 'shop-v3.tar.gz', '--json']),
      'attest',
    );
    const out = r.json<{ path: string; keyid: string }>();
    expect(out.path).toBe(join(fleet.dir, 'shop-v3.tar.gz.intoto.json'));
    const ci = JSON.parse(readFileSync(join(fleet.dir, 'ci.key.json'), 'utf8')) as {
      publicKey: string;
    };
    const verified = sslibVerify(Buffer.from(ci.publicKey, 'base64').toString('hex'), out.path);
    expect(verified.ok, verified.stderr).toBe(true);
    const sha256 = (await import('node:crypto'))
      .createHash('sha256')
      .update(artifact)
      .digest('hex');
    expect(verified.read).toMatchObject({
      keyid: out.keyid,
      subject: [{ name: 'shop-v3.tar.gz', digest: { sha256 } }],
    });
  });

  it('writes nothing a verifier with another key accepts', () => {
    const other = sslibVerify(python.publicHex, join(fleet.dir, 'shop-v3.tar.gz.intoto.json'));
    expect(other.ok).toBe(false);
  });
});

describe('deploying an app that requires attestations', () => {
  it('deploys with --artifact and --attestation', async () => {
    const r = await alice([
      ...['deploy', 'shop', 'v3', '--hosts', 'weba', '--yes', '--json'],
      ...['--artifact', 'shop-v3.tar.gz', '--attestation', 'shop-v3.tar.gz.intoto.json'],
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(weba(r)).toMatchObject({ status: 'succeeded', versionAfter: 'v3' });
  });

  it('deploys a statement securesystemslib signed for a builder added by its hex key', async () => {
    file('shop-v4.tar.gz', makeTarball([{ name: 'index.html', body: randomBytes(100) }]));
    const sha256 = (await import('node:crypto'))
      .createHash('sha256')
      .update(readFileSync(join(fleet.dir, 'shop-v4.tar.gz')))
      .digest('hex');
    const statement = file(
      'st4.json',
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'shop-v4.tar.gz', digest: { sha256 } }],
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: { buildDefinition: { buildType: 'x', externalParameters: {} } },
      }),
    );
    const envelope = sslibSign(python, join(fleet.dir, statement));
    file('shop-v4.intoto.json', JSON.stringify(envelope));
    const r = await alice([
      ...['deploy', 'shop', 'v4', '--hosts', 'weba', '--yes', '--json'],
      ...['--artifact', 'shop-v4.tar.gz', '--attestation', 'shop-v4.intoto.json'],
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(weba(r)).toMatchObject({ status: 'succeeded', versionAfter: 'v4' });
  });

  it('without an attestation the host refuses with ATTESTATION_REQUIRED', async () => {
    file('shop-v5.tar.gz', randomBytes(100));
    const r = await alice([
      ...['deploy', 'shop', 'v5', '--hosts', 'weba', '--yes', '--json'],
      ...['--artifact', 'shop-v5.tar.gz'],
    ]);
    expect(r.code).toBe(1);
    expect(weba(r)).toMatchObject({ status: 'rejected', reason: 'ATTESTATION_REQUIRED' });
    // the operator was told before signing, from the keyring the CLI verified itself
    expect(r.stderr).toMatch(/ATTESTATION_REQUIRED: .*agents will refuse it/);
  });

  it("refuses another file's attestation before signing anything", async () => {
    const r = await alice([
      ...['deploy', 'shop', 'v5', '--hosts', 'weba', '--yes', '--json'],
      ...['--artifact', 'shop-v5.tar.gz', '--attestation', 'shop-v3.tar.gz.intoto.json'],
    ]);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('ATTESTATION_INVALID');
  });
});
