import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDeploy, standardTrust } from '@serfbort/testkit';
import type { SmallDisk } from '@serfbort/testkit/agent';
import { mountSmallDisk } from '@serfbort/testkit/agent';
import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';
import { ReplayStore } from './replay-store.js';
import { StateDir } from './state-dir.js';
import { storageFailure } from './storage-failure.js';

const envelope = {
  payloadType: 't',
  payload: 'e30=',
  signatures: [{ keyid: '0'.repeat(32), sig: 'AA==' }],
};
const disk: SmallDisk | undefined = mountSmallDisk();
afterAll(() => disk?.unmount());

describe('a failed state write is named by its errno', () => {
  it.each([
    ['ENOSPC', 'DISK_FULL'],
    ['EDQUOT', 'DISK_FULL'],
    ['EROFS', 'STATE_UNWRITABLE'],
    ['EIO', 'STATE_UNWRITABLE'],
  ])('%s is %s', (errno, code) => {
    const e = Object.assign(new Error(`${errno}: it failed`), { code: errno });
    expect(storageFailure(e)).toEqual({ code, errno, message: `${errno}: it failed` });
  });
});

describe('a held receipt', () => {
  it('is pending like the others, written by persistHeld, and settled once', () => {
    const dir = new StateDir(join(mkdtempSync(join(tmpdir(), 'agent-held-')), 'state'));
    dir.ensure();
    const outbox = new Outbox(dir);
    const settled: string[] = [];
    outbox.hold('held-1', envelope, 1, () => settled.push('held-1'));
    expect(outbox.pending().map((i) => i.requestId)).toEqual(['held-1']);
    expect(existsSync(dir.file('outbox', 'held-1.json'))).toBe(false);
    expect(outbox.persistHeld()).toBe(1);
    expect(existsSync(dir.file('outbox', 'held-1.json'))).toBe(true);
    outbox.ack('held-1');
    expect(settled).toEqual(['held-1']);
  });

  it('acked before there is room is settled by the ack', () => {
    const dir = new StateDir(join(mkdtempSync(join(tmpdir(), 'agent-held-')), 'state'));
    dir.ensure();
    const outbox = new Outbox(dir);
    const settled: string[] = [];
    outbox.hold('held-2', envelope, 1, () => settled.push('held-2'));
    outbox.ack('held-2');
    expect(settled).toEqual(['held-2']);
    expect(outbox.persistHeld()).toBe(0);
  });
});

describe.skipIf(!disk)('the replay store on a full disk (tmpfs)', () => {
  it('refuses to record, keeps the id seen in memory, and does not count it for rule 6 once told it did not run', () => {
    const dir = new StateDir(join(disk!.path, 'state'));
    dir.ensure();
    const store = new ReplayStore(dir);
    store.load();
    const op = [standardTrust().operatorKey];
    const ran = signDeploy({ app: 'web', version: 'v1', target: { hosts: ['h'] } }, op).request;
    store.recordAccepted(ran, Date.now());
    disk!.fill();
    const refused = signDeploy({ app: 'web', version: 'v2', target: { hosts: ['h'] } }, op).request;
    const previous = store.lastAppliedAll().web;
    expect(() => store.recordAccepted(refused, Date.now())).toThrow(
      expect.objectContaining({ code: 'ENOSPC' }),
    );
    store.notApplied('web', refused.id, previous);
    expect(store.seen(refused.id)).toBe(true);
    expect(store.lastAppliedAll().web?.requestId).toBe(ran.id);
    disk!.free();
    store.flush();
    const reloaded = new ReplayStore(dir);
    reloaded.load();
    expect(reloaded.seen(refused.id)).toBe(true);
    expect(reloaded.lastAppliedAll().web?.requestId).toBe(ran.id);
  });
});
