import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Envelope, HostProgress } from '@serfbort/core';
import {
  fingerprintOf,
  fromBase64,
  signerFor,
  signPayload,
  toBase64,
  utf8Decode,
} from '@serfbort/core';
import { key } from '@serfbort/testkit';
import { BUNDLE, errorCode } from '@serfbort/testkit/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fleet as FleetType } from '../cli/fleet.js';
import { expectOk, Fleet, reachStatus, trustedFleet } from '../cli/fleet.js';
import type { Packet } from './tamper-proxy.js';
import { startTamperProxy } from './tamper-proxy.js';

/*
 * Approvals against a hub that lies: the operator's own word for the fingerprint ties a
 * key to a host, and the approval signs the host's labels, so the hub routes by those.
 */

interface HostJson {
  host: string;
  verified: boolean;
}

const mallory = key(901); // the hostile hub's own key, offered under weba's name
let fleet: FleetType;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let realHub = '';
let lie: (p: Packet) => unknown[] = (p) => p.data;
const alice = (args: string[]) => fleet.cli('alice', args);
/** alice through the man in the middle */
const aliceViaProxy = (args: string[]) => fleet.cli('alice', args, { SERFBORT_HUB: proxy.url });
const fp = (name: string) => fleet.agents.get(name)!.fingerprint;

beforeAll(async () => {
  fleet = new Fleet();
  await trustedFleet(fleet, []);
  realHub = fleet.hubUrl;
  await reachStatus(await fleet.startAgent({ name: 'weba', labels: ['role=web'] }), 'pending');
  proxy = await startTamperProxy(realHub, (p) => lie(p));
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await fleet?.close();
});

/** Replaces weba's key in every pending-agents answer with mallory's. */
function swapPendingKey(packet: Packet): unknown[] {
  if (packet.kind !== 'ack' || packet.namespace !== '/operator') return packet.data;
  return packet.data.map((answer) => {
    const a = answer as { ok?: boolean; data?: unknown };
    if (!a?.ok || !Array.isArray(a.data)) return answer;
    const swapped = a.data.map((entry) => {
      const e = entry as { name?: string; publicKey?: string };
      if (e?.name !== 'weba' || typeof e.publicKey !== 'string') return entry;
      return {
        ...e,
        keyId: mallory.keyId,
        publicKey: toBase64(mallory.publicKey),
        fingerprint: fingerprintOf(mallory.publicKey),
      };
    });
    return { ...a, data: swapped };
  });
}

/** weba's receipts, re-signed by mallory's key: what a key the hub slipped in would sign. */
function resignReceipts(packet: Packet): unknown[] {
  if (packet.namespace !== '/operator') return packet.data;
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (o.host === 'weba' && typeof o.state === 'string' && o.receipt) {
      const r = o.receipt as Envelope;
      const payload: unknown = JSON.parse(utf8Decode(fromBase64(r.payload)));
      return {
        ...(o as unknown as HostProgress),
        receipt: signPayload(r.payloadType, payload, [signerFor(mallory)]),
      };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fix(x)]));
  };
  return packet.data.map(fix);
}

/** The CLI on a pseudo-terminal (util-linux `script`), through the proxy, typing `input`. */
function onTerminal(args: string[], input: string): Promise<{ code: number; output: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: fleet.dir,
    NO_COLOR: '1',
    SERFBORT_SCRYPT_LOG_N: '10',
    SERFBORT_PASSPHRASE: 'pw',
    SERFBORT_HUB: proxy.url,
    SERFBORT_KEY: join(fleet.dir, 'alice.key.json'),
    SERFBORT_ROOT: join(fleet.dir, 'root.json'),
  };
  const command = [process.execPath, BUNDLE, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: fleet.dir, env });
    let output = '';
    let answered = false;
    child.stdin.on('error', () => undefined); // the CLI may be gone before the answer lands
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (answered || !output.includes('[y/N]')) return;
      answered = true;
      child.stdin.write(input);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('approving without the fingerprint', () => {
  it('without a terminal and without --fingerprint exits 2 before contacting the hub', async () => {
    let connections = 0;
    const listener = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const { port } = listener.address() as { port: number };
    try {
      for (const args of [['weba'], ['weba', '--yes']]) {
        const r = await fleet.cli('alice', ['agents', 'approve', ...args], {
          SERFBORT_HUB: `http://127.0.0.1:${port}`,
        });
        expect(r.code, r.stderr).toBe(2);
        expect(errorCode(r)).toBe('FINGERPRINT_REQUIRED');
      }
      expect(connections).toBe(0);
    } finally {
      listener.close();
    }
  });

  it('says so in its help', async () => {
    const r = await alice(['agents', 'approve', '--help']);
    expect(r.stdout).toMatch(/--fingerprint[\s\S]*required without a terminal/);
    expect(r.stdout).toMatch(/never skips the fingerprint/);
  });
});

describe('a hub that presents its own key under weba', () => {
  it('is not approved without the right fingerprint, and nothing is signed', async () => {
    lie = swapPendingKey;
    const blind = await aliceViaProxy(['agents', 'approve', 'weba', '--yes']);
    expect(blind.code).toBe(2);
    expect(errorCode(blind)).toBe('FINGERPRINT_REQUIRED');
    const checked = await aliceViaProxy([
      'agents',
      'approve',
      'weba',
      '--fingerprint',
      fp('weba'),
      '--yes',
    ]);
    expect(checked.code).toBe(2);
    expect(errorCode(checked)).toBe('FINGERPRINT_MISMATCH');
    // the real hub holds no approval: weba still waits, under its own key
    const pending = expectOk(await alice(['agents', 'pending', '--json']), 'pending').json<{
      pending: { name: string; fingerprint: string }[];
    }>().pending;
    expect(pending).toEqual([expect.objectContaining({ name: 'weba', fingerprint: fp('weba') })]);
    lie = (p) => p.data;
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'on a terminal, shows the fingerprint of the key the hub presents and asks first',
    async () => {
      lie = swapPendingKey;
      const r = await onTerminal(['agents', 'approve', 'weba', '--yes'], 'n\n');
      lie = (p) => p.data;
      expect(r.output).toContain(`fingerprint ${fingerprintOf(mallory.publicKey)}`);
      expect(r.output).toMatch(/Approve weba with this fingerprint and these labels\? \[y\/N\]/);
      expect(r.output).toContain('CANCELLED');
      expect(r.code).toBe(2);
    },
  );

  it("the slipped-in key's receipts stay UNVERIFIED once weba is approved by its fingerprint", async () => {
    const ready = reachStatus(fleet.agents.get('weba')!, 'approved');
    expectOk(
      await alice(['agents', 'approve', 'weba', '--fingerprint', fp('weba'), '--yes']),
      'approve weba',
    );
    await ready;
    lie = resignReceipts;
    const r = await aliceViaProxy(['deploy', 'shop', 'v2', '--hosts', 'weba', '--yes', '--json']);
    lie = (p) => p.data;
    expect(r.json<{ hosts: HostJson[] }>().hosts).toEqual([
      expect.objectContaining({ host: 'weba', verified: false }),
    ]);
    expect(r.code).toBe(1);
  });
});

describe('an agent approved as role=web that comes back as role=db', () => {
  beforeAll(async () => {
    await fleet.stopAgent('weba');
    const back = await fleet.startAgent({ name: 'weba', labels: ['role=db'] });
    await reachStatus(back, 'approved');
  }, 60_000);

  it('receives no deploy for role=db: the hub routes by the approved labels', async () => {
    const r = await alice(['deploy', 'shop', 'v3', '-l', 'role=db', '--yes']);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('NO_MATCHING_HOSTS');
    const web = await alice(['deploy', 'shop', 'v3', '-l', 'role=web', '--yes', '--json']);
    expect(web.json<{ hosts: HostJson[] }>().hosts).toEqual([
      expect.objectContaining({ host: 'weba', verified: true }),
    ]);
  });

  it('shows as "labels changed — needs approval" in pending and list', async () => {
    const pending = expectOk(await alice(['agents', 'pending']), 'pending').stdout;
    expect(pending).toMatch(/weba[\s\S]*role=db[\s\S]*labels changed — needs approval/);
    const json = expectOk(await alice(['agents', 'pending', '--json']), 'pending').json<{
      pending: { name: string; labels: object; approvedLabels?: object }[];
    }>();
    expect(json.pending).toEqual([
      expect.objectContaining({
        name: 'weba',
        labels: { role: 'db' },
        approvedLabels: { role: 'web' },
      }),
    ]);
    const list = expectOk(await alice(['list']), 'list').stdout;
    expect(list).toMatch(/role=web[\s\S]*labels changed — needs approval/);
    const hosts = expectOk(await alice(['list', '--json']), 'list').json<{
      hosts: { name: string; labels: object; labelState: string }[];
    }>().hosts;
    expect(hosts).toEqual([
      expect.objectContaining({ name: 'weba', labels: { role: 'web' }, labelState: 'changed' }),
    ]);
  });

  it('moves to role=db when an operator approves the new labels', async () => {
    expectOk(
      await alice(['agents', 'approve', 'weba', '--fingerprint', fp('weba'), '--yes']),
      'approve weba again',
    );
    const db = await alice(['deploy', 'shop', 'v4', '-l', 'role=db', '--yes', '--json']);
    expect(db.json<{ hosts: HostJson[] }>().hosts).toEqual([
      expect.objectContaining({ host: 'weba', verified: true }),
    ]);
    const web = await alice(['deploy', 'shop', 'v5', '-l', 'role=web', '--yes']);
    expect(errorCode(web)).toBe('NO_MATCHING_HOSTS');
    const pending = expectOk(await alice(['agents', 'pending', '--json']), 'pending');
    expect(pending.json<{ pending: unknown[] }>().pending).toEqual([]);
    const hosts = expectOk(await alice(['list', '--json']), 'list').json<{
      hosts: { labelState: string }[];
    }>().hosts;
    expect(hosts.map((h) => h.labelState)).toEqual(['approved']);
  });
});
