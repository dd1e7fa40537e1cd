'use client';
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The hub's viewer token lets a person without a key watch (the hub answers reads only).
 * It is kept for this browser session (sessionStorage) unless the person asks to remember
 * it on this device (localStorage: for a shared wall screen). Tabs opened later get it
 * from an open tab over a same-origin BroadcastChannel, like the unlocked key.
 */
const STORAGE_KEY = 'serfbort:viewer-token';
const CHANNEL = 'serfbort:viewer-session';

export interface ViewerToken {
  token: string;
  remembered: boolean;
}

type Message = { type: 'ask' } | { type: 'token'; token: string } | { type: 'forget' };

function read(storage: () => Storage): string | null {
  try {
    const t = storage().getItem(STORAGE_KEY);
    return t && t.length <= 512 ? t : null;
  } catch {
    return null;
  }
}

function write(storage: () => Storage, token: string | null): void {
  try {
    if (token === null) storage().removeItem(STORAGE_KEY);
    else storage().setItem(STORAGE_KEY, token);
  } catch {
    // storage blocked: the token lives in this tab's memory only
  }
}

const session = () => sessionStorage;
const local = () => localStorage;

export function loadViewerToken(): ViewerToken | null {
  const s = read(session);
  if (s) return { token: s, remembered: false };
  const l = read(local);
  return l ? { token: l, remembered: true } : null;
}

export function useViewerToken(): {
  viewer: ViewerToken | null;
  setViewer(token: string, remember: boolean): void;
  forgetViewer(): void;
} {
  const [viewer, setViewerState] = useState<ViewerToken | null>(null);
  const current = useRef<ViewerToken | null>(null);
  current.current = viewer;
  const channel = useRef<BroadcastChannel | null>(null);

  useEffect(() => {
    setViewerState(loadViewerToken());
    if (typeof BroadcastChannel === 'undefined') return;
    const ch = new BroadcastChannel(CHANNEL);
    channel.current = ch;
    ch.onmessage = (e: MessageEvent<Message>) => {
      const m = e.data;
      if (m?.type === 'ask') {
        if (current.current) ch.postMessage({ type: 'token', token: current.current.token });
      } else if (m?.type === 'token' && typeof m.token === 'string' && m.token.length <= 512) {
        if (current.current?.token === m.token) return;
        write(session, m.token);
        setViewerState({ token: m.token, remembered: read(local) === m.token });
      } else if (m?.type === 'forget') {
        write(session, null);
        write(local, null);
        setViewerState(null);
      }
    };
    if (!current.current && !loadViewerToken()) ch.postMessage({ type: 'ask' });
    return () => {
      ch.close();
      channel.current = null;
    };
  }, []);

  const setViewer = useCallback((token: string, remember: boolean) => {
    write(session, token);
    write(local, remember ? token : null);
    setViewerState({ token, remembered: remember });
    channel.current?.postMessage({ type: 'token', token });
  }, []);

  const forgetViewer = useCallback(() => {
    write(session, null);
    write(local, null);
    setViewerState(null);
    channel.current?.postMessage({ type: 'forget' });
  }, []);

  return { viewer, setViewer, forgetViewer };
}
