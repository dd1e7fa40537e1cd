import { keyPairFromSeed } from '@serfbort/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type KeySessionChannel, type KeySessionMessage, openKeySession } from './key-session';

const open: KeySessionChannel[] = [];
const raw: BroadcastChannel[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const c of raw.splice(0)) c.close();
});

/** Opens a tab's channel and collects what it accepts. */
function tab(): { channel: KeySessionChannel; got: KeySessionMessage[] } {
  const got: KeySessionMessage[] = [];
  const channel = openKeySession((m) => got.push(m));
  open.push(channel);
  return { channel, got };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('the tabs’ key session channel', () => {
  it('hands the seed of an unlocked key to another tab, and only there', async () => {
    const a = tab();
    const b = tab();
    const pair = keyPairFromSeed(new Uint8Array(32).fill(7));
    a.channel.share(pair);
    await settle();
    expect(a.got).toEqual([]);
    expect(b.got).toHaveLength(1);
    const m = b.got[0]!;
    expect(m.type).toBe('share');
    if (m.type !== 'share') return;
    expect(m.keyId).toBe(pair.keyId);
    expect(keyPairFromSeed(m.seed).keyId).toBe(pair.keyId);
  });

  it('passes lock, ask and activity on', async () => {
    const a = tab();
    const b = tab();
    a.channel.post({ type: 'ask' });
    a.channel.post({ type: 'lock' });
    a.channel.post({ type: 'activity', at: 1234 });
    await settle();
    expect(b.got).toEqual([{ type: 'ask' }, { type: 'lock' }, { type: 'activity', at: 1234 }]);
  });

  it('ignores malformed messages from the same channel name', async () => {
    const b = tab();
    const rogue = new BroadcastChannel('serfbort:key-session');
    raw.push(rogue);
    rogue.postMessage({ type: 'share', keyId: 'x', seed: new Uint8Array(31) });
    rogue.postMessage({ type: 'share', keyId: 'x', seed: Array(32).fill(1) });
    rogue.postMessage({ type: 'share', seed: new Uint8Array(32) });
    rogue.postMessage({ type: 'activity', at: 'now' });
    rogue.postMessage({ type: 'unlock-everything' });
    rogue.postMessage('lock');
    rogue.postMessage(null);
    await settle();
    expect(b.got).toEqual([]);
  });
});
