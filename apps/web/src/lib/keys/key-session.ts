import type { KeyPair } from '@serfbort/core';

/**
 * Tabs of this origin share one unlocked session over a BroadcastChannel (same origin only).
 * The seed is handed from memory to memory, only to a tab that asks or when a tab unlocks;
 * it never reaches storage. A receiving tab keeps it only if it derives the stored key's id.
 */
export type KeySessionMessage =
  | { type: 'ask' }
  | { type: 'share'; keyId: string; seed: Uint8Array }
  | { type: 'lock' }
  | { type: 'removed' }
  | { type: 'activity'; at: number };

const CHANNEL = 'serfbort:key-session';

export interface KeySessionChannel {
  post(message: KeySessionMessage): void;
  share(pair: KeyPair): void;
  close(): void;
}

function isMessage(m: unknown): m is KeySessionMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'share') {
    const s = m as { keyId?: unknown; seed?: unknown };
    return typeof s.keyId === 'string' && s.seed instanceof Uint8Array && s.seed.length === 32;
  }
  if (t === 'activity') return typeof (m as { at?: unknown }).at === 'number';
  return t === 'ask' || t === 'lock' || t === 'removed';
}

/** A no-op channel where BroadcastChannel is missing (old browsers): each tab stays on its own. */
export function openKeySession(onMessage: (m: KeySessionMessage) => void): KeySessionChannel {
  if (typeof BroadcastChannel === 'undefined') {
    return { post: () => {}, share: () => {}, close: () => {} };
  }
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent) => {
    if (isMessage(e.data)) onMessage(e.data);
  };
  const post = (m: KeySessionMessage) => channel.postMessage(m);
  return {
    post,
    share: (pair) => post({ type: 'share', keyId: pair.keyId, seed: pair.seed }),
    close: () => channel.close(),
  };
}
