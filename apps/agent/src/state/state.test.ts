import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKey } from './agent-key.js';
import { Journal } from './journal.js';
import { Outbox } from './outbox.js';
import { ReplayStore } from './replay-store.js';
import { StateDir, StateError } from './state-dir.js';

const fresh = () => {
  const dir = new StateDir(join(mkdtempSync(join(tmpdir(), 'agent-state-')), 'state'));
  dir.ensure();
  return dir;
};

describe('the state directory', () => {
  it('is created owner-only', () => {
    expect(statSync(fresh().path).mode & 0o777).toBe(0o700);
  });

  it('refuses an unwritable directory with a clear code and writes nothing', () => {
    const parent = mkdtempSync(join(tmpdir(), 'agent-state-'));
    const blocker = join(parent, 'file');
    writeFileSync(blocker, 'not a directory');
    const dir = new StateDir(join(blocker, 'state'));
    expect(() => dir.ensure()).toThrow(StateError);
    try {
      dir.ensure();
    } catch (e) {
      expect((e as StateError).code).toBe('STATE_DIR_UNWRITABLE');
    }
    expect(readdirSync(parent)).toEqual(['file']);
  });

  it('reports a damaged file instead of resetting it', () => {
    const dir = fresh();
    writeFileSync(dir.file('replay.json'), '{"seen":');
    expect(() => new ReplayStore(dir).load()).toThrow(/not valid JSON/);
  });
});

describe('the agent key', () => {
  it('is created once, owner-only, and read back the same', () => {
    const dir = fresh();
    const first = loadOrCreateKey(dir);
    expect(first.created).toBe(true);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const again = loadOrCreateKey(dir);
    expect(again.created).toBe(false);
    expect(again.keyPair.keyId).toBe(first.keyPair.keyId);
  });

  it('is refused when others can read it', () => {
    const dir = fresh();
    const key = loadOrCreateKey(dir);
    chmodSync(key.path, 0o644);
    expect(() => loadOrCreateKey(dir)).toThrow(
      expect.objectContaining({ code: 'STATE_KEY_EXPOSED' }),
    );
  });
});

describe('the replay store', () => {
  it('remembers accepted ids and the last issued-at per app across a restart', () => {
    const dir = fresh();
    const store = new ReplayStore(dir);
    store.load();
    const { request } = signDeploy({ app: 'web', version: 'v1', target: { hosts: ['h'] } }, [
      standardTrust().operatorKey,
    ]);
    store.recordAccepted(request, Date.now());
    store.recordOutcome('web', request.id, 'succeeded', 'v1');
    const reloaded = new ReplayStore(dir);
    reloaded.load();
    expect(reloaded.seen(request.id)).toBe(true);
    expect(reloaded.lastAppliedAt('web')).toBe(request.issuedAt);
    expect(reloaded.lastAppliedAll().web?.status).toBe('succeeded');
  });

  it('forgets ids long expired (rule 4 refuses those anyway)', () => {
    const dir = fresh();
    const store = new ReplayStore(dir);
    const now = Date.now();
    const { request: old } = signDeploy(
      {
        app: 'web',
        version: 'v1',
        target: { hosts: ['h'] },
        issuedAt: now - 3_600_000,
        expiresAt: now - 3_000_000,
      },
      [standardTrust().operatorKey],
    );
    const { request: current } = signDeploy(
      { app: 'api', version: 'v1', target: { hosts: ['h'] } },
      [standardTrust().operatorKey],
    );
    store.recordAccepted(old, now - 3_500_000);
    store.recordAccepted(current, now);
    expect(store.seen(old.id)).toBe(false);
    expect(store.seen(current.id)).toBe(true);
  });
});

describe('the outbox and the journal', () => {
  it('keep receipts and in-progress deploys across a restart, with no temp files left', () => {
    const dir = fresh();
    const outbox = new Outbox(dir);
    const envelope = {
      payloadType: 't',
      payload: 'e30=',
      signatures: [{ keyid: '0'.repeat(32), sig: 'AA==' }],
    };
    outbox.put('request-1', envelope, 1);
    outbox.put('request-2', envelope, 2);
    outbox.ack('request-1');
    new Journal(dir).put({
      requestId: 'request-3',
      requestDigest: 'd',
      app: 'web',
      version: 'v1',
      acceptedAt: 3,
    });
    const reloaded = new Outbox(dir);
    reloaded.load();
    expect(reloaded.pending().map((i) => i.requestId)).toEqual(['request-2']);
    expect(new Journal(dir).all().map((e) => e.requestId)).toEqual(['request-3']);
    const files = [
      ...readdirSync(dir.path),
      ...readdirSync(dir.file('outbox')),
      ...readdirSync(dir.file('journal')),
    ];
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a damaged outbox file', () => {
  it('is moved aside and reported, and the other receipts still load', () => {
    const dir = fresh();
    const envelope = {
      payloadType: 't',
      payload: 'e30=',
      signatures: [{ keyid: '0'.repeat(32), sig: 'AA==' }],
    };
    new Outbox(dir).put('request-ok', envelope, 1);
    writeFileSync(dir.file('outbox', 'request-bad.json'), '{"requestId":');
    const reported: string[] = [];
    const outbox = new Outbox(dir);
    outbox.load((path) => reported.push(path));
    expect(outbox.pending().map((i) => i.requestId)).toEqual(['request-ok']);
    expect(reported).toEqual([dir.file('outbox', 'request-bad.json')]);
    expect(readdirSync(dir.file('outbox')).sort()).toEqual([
      'request-bad.json.corrupt',
      'request-ok.json',
    ]);
  });
});
