import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactRef, DsseEnvelope, Envelope } from '@serfbort/core';
import {
  artifactStatement,
  canonicalBytes,
  fromBase64,
  signStatement,
  toBase64,
  utf8Decode,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { key, makeTarball, refOf, signDeploy, signKeyring, signRoot } from '@serfbort/testkit';
import type { AgentProcess, TestHost } from '@serfbort/testkit/agent';
import { createTestHost, spawnAgent } from '@serfbort/testkit/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostileHub } from '../hostile/hostile-hub.js';
import { startHostileHub } from '../hostile/hostile-hub.js';
import type { SslibKey } from './sslib.js';
import { sslibKeygen, sslibSign } from './sslib.js';

/*
 * Build attestations judged by a real agent process, its keyring requiring one for `web`.
 * The attestations come from securesystemslib (Debian's python3-securesystemslib) and from
 * serfbort's own signer; the hub in between lies. Every refusal is a signed receipt with its
 * code, and the deploy command never runs (the host's ran.log says so).
 */

const rootKey = key(201);
const alice = key(210);
const ciKey = key(211); // serfbort's builder key, listed for web
const stranger = key(212); // signs attestations, listed nowhere
const scratch = mkdtempSync(join(tmpdir(), 'serfbort-attest-'));
let python: SslibKey;

/** Release n of web: a real tarball where the agent's release url points (a local path here). */
function artifactV(n: number): ArtifactRef {
  const bytes = makeTarball([{ name: 'VERSION', body: `v${n}\n` }]);
  mkdirSync(join(scratch, 'web'), { recursive: true });
  writeFileSync(join(scratch, 'web', `v${n}.tar.gz`), bytes);
  return refOf(bytes, { name: `web-v${n}.tar.gz` });
}

/** A statement as a pipeline's Python writes it: its own spacing, not canonical. */
function statementFile(name: string, text: string): string {
  const path = join(scratch, `${name}.json`);
  writeFileSync(path, text);
  return path;
}
const statementText = (a: ArtifactRef) =>
  JSON.stringify(artifactStatement({ name: a.name!, sha256: a.sha256 }, 'python-ci'), null, 2);

describe('an agent whose keyring requires attestations for web', () => {
  let hub: HostileHub;
  let host: TestHost;
  let agent: AgentProcess;
  let version = 0;
  const deploy = (artifact?: ArtifactRef, attestation?: DsseEnvelope) =>
    signDeploy(
      {
        app: 'web',
        version: `v${++version}`,
        target: { hosts: ['weba'] },
        ...(artifact ? { artifact } : {}),
        ...(attestation ? { attestation } : {}),
      },
      [alice],
    );
  const idOf = (e: Envelope) =>
    (JSON.parse(utf8Decode(fromBase64(e.payload))) as { id: string }).id;

  async function answer(envelope: Envelope) {
    const from = hub.receipts.length;
    hub.relay('weba', envelope);
    return (await hub.receiptFor(idOf(envelope), from)).receipt;
  }
  async function expectRefused(envelope: Envelope, code: string) {
    const runs = host.ranLog('web').length;
    expect(await answer(envelope)).toMatchObject({ status: 'rejected', reason: code });
    expect(host.ranLog('web').length).toBe(runs);
  }

  beforeAll(async () => {
    python = sslibKeygen(scratch, 'python-ci');
    const root = signRoot({ keys: [rootKey] }, [rootKey]);
    const keyring = signKeyring(
      {
        operators: [{ name: 'alice', key: alice }],
        policies: { web: { threshold: 1, requireAttestation: true } },
        builders: [
          { name: 'python-ci', key: python, apps: ['web'] },
          { name: 'ci', key: ciKey, apps: ['web'] },
        ],
      },
      [rootKey],
    );
    hub = await startHostileHub({ roots: [root.envelope], keyring: keyring.envelope });
    host = createTestHost({
      name: 'weba',
      hub: hub.url,
      labels: ['role=web'],
      apps: ['web'],
      root: root.envelope,
      // artifacts are deployed as releases: fetched, verified, unpacked and switched by the agent
      appConfig: {
        web: {
          deploy: undefined,
          version: undefined,
          release: { url: join(scratch, 'web', '{version}.tar.gz'), dir: 'srv/web' },
        },
      },
    });
    agent = spawnAgent({ configPath: host.configPath });
    await hub.connected('weba');
  });
  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("deploys an artifact whose statement securesystemslib signed with a listed builder's key", async () => {
    const a = artifactV(1);
    const attestation = sslibSign(python, statementFile('py-1', statementText(a)));
    const req = deploy(a, attestation);
    expect(await answer(req.envelope)).toMatchObject({
      status: 'succeeded',
      versionAfter: req.request.version,
      artifact: { sha256: a.sha256 },
    });
  });

  it("deploys an artifact attested with serfbort's own signer", async () => {
    const a = artifactV(2);
    const attestation = signStatement(
      artifactStatement({ name: a.name!, sha256: a.sha256 }, 'ci'),
      [nodeSigner(ciKey)],
    );
    expect(await answer(deploy(a, attestation).envelope)).toMatchObject({ status: 'succeeded' });
  });

  it('no attestation, or no artifact → ATTESTATION_REQUIRED', async () => {
    await expectRefused(deploy(artifactV(3)).envelope, 'ATTESTATION_REQUIRED');
    const attestation = sslibSign(python, statementFile('py-4', statementText(artifactV(4))));
    await expectRefused(deploy(undefined, attestation).envelope, 'ATTESTATION_REQUIRED');
  });

  it('an attestation signed by a key the keyring does not list → ATTESTATION_INVALID', async () => {
    const a = artifactV(5);
    const attestation = signStatement(artifactStatement({ name: 'x', sha256: a.sha256 }, 'evil'), [
      nodeSigner(stranger),
    ]);
    await expectRefused(deploy(a, attestation).envelope, 'ATTESTATION_INVALID');
  });

  it('an attestation of another digest → ATTESTATION_INVALID', async () => {
    const attestation = sslibSign(python, statementFile('py-6', statementText(artifactV(6))));
    await expectRefused(deploy(artifactV(7), attestation).envelope, 'ATTESTATION_INVALID');
  });

  it('a signed statement that repeats a member → ATTESTATION_INVALID', async () => {
    // Python's json.load keeps the last `subject` (the attested digest); a first-wins reader another
    const a = artifactV(8);
    const other = artifactV(9);
    const text = `{"_type": "https://in-toto.io/Statement/v1", "subject": [{"digest": {"sha256": "${other.sha256}"}}], "predicateType": "https://slsa.dev/provenance/v1", "subject": [{"digest": {"sha256": "${a.sha256}"}}]}`;
    const attestation = sslibSign(python, statementFile('py-dup', text));
    await expectRefused(deploy(a, attestation).envelope, 'ATTESTATION_INVALID');
  });

  describe('a hub that tampers with the attestation', () => {
    const rewrite = (e: Envelope, change: (p: Record<string, unknown>) => void): Envelope => {
      const p = JSON.parse(utf8Decode(fromBase64(e.payload))) as Record<string, unknown>;
      change(p);
      // canonical, as an honest signer's bytes are: what fails is the signature, nothing before it
      return { ...e, payload: toBase64(canonicalBytes(p)) };
    };

    it('stripping it → BAD_SIGNATURE (it is inside the operator signature)', async () => {
      const a = artifactV(10);
      const attestation = sslibSign(python, statementFile('py-10', statementText(a)));
      const stripped = rewrite(deploy(a, attestation).envelope, (p) => delete p.attestation);
      await expectRefused(stripped, 'BAD_SIGNATURE');
    });

    it('swapping the artifact and its attestation for another valid pair → BAD_SIGNATURE', async () => {
      const a = artifactV(11);
      const b = artifactV(12);
      const forB = sslibSign(python, statementFile('py-12', statementText(b)));
      const signedForA = deploy(a, sslibSign(python, statementFile('py-11', statementText(a))));
      const swapped = rewrite(signedForA.envelope, (p) => {
        p.artifact = b;
        p.attestation = forB;
      });
      await expectRefused(swapped, 'BAD_SIGNATURE');
    });
  });
});
