'use client';
import {
  currentPayloadType,
  type KeyPair,
  SPEAKS_THIS_BUILD,
  signerFor,
  signPayload,
} from '@serfbort/core';
import {
  createContext,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useKey } from '../keys/key-context';
import { useTrustView } from '../trust/use-trust-view';
import type { TrustView } from '../trust/verify-trust';
import { call, type OperatorSocket } from './call';
import { loadHubUrl, saveHubUrl } from './hub-url';
import { useHubSocket } from './use-hub-socket';

/** parked: the hub is reachable but we hold no session (no key unlocked, or refused) */
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'parked';
export type AuthState =
  | { state: 'anonymous' }
  | { state: 'authenticating' }
  | { state: 'operator'; keyId: string; name: string | null }
  | { state: 'refused'; code: string; message: string };

export interface HubState {
  hubUrl: string;
  setHubUrl(url: string): void;
  /** origins the page's Content-Security-Policy allows connecting to */
  allowedOrigins: string[];
  socket: OperatorSocket | null;
  connection: Connection;
  /** consecutive failed connection attempts, for "reconnecting… (attempt n)" */
  attempts: number;
  auth: AuthState;
  /** true when connected and authenticated as an operator */
  ready: boolean;
  /** bumps on every successful login, so pages re-fetch and re-subscribe */
  session: number;
  trust: TrustView | null;
  refreshTrust(): Promise<void>;
  retryAuth(): void;
}

const HubContext = createContext<HubState | null>(null);

async function authenticate(socket: OperatorSocket, keyPair: KeyPair): Promise<AuthState> {
  const challenge = await call(socket, 'auth:challenge');
  if (!challenge.ok) return { state: 'refused', ...challenge.error };
  // we build and sign our own challenge text (never bytes chosen by the hub)
  const payload = {
    type: 'operator-auth',
    nonce: challenge.data.nonce,
    hubId: challenge.data.hubId,
    keyId: keyPair.keyId,
    at: Date.now(),
    speaks: SPEAKS_THIS_BUILD,
  };
  const envelope = signPayload(currentPayloadType('operatorAuth'), payload, [signerFor(keyPair)]);
  const hello = await call(socket, 'auth:hello', { envelope });
  if (!hello.ok) return { state: 'refused', ...hello.error };
  return {
    state: 'operator',
    keyId: hello.data.keyId ?? keyPair.keyId,
    name: hello.data.name ?? null,
  };
}

export function HubProvider({
  defaultHub,
  allowedOrigins,
  children,
}: {
  defaultHub: string;
  allowedOrigins: string[];
  children: ReactNode;
}) {
  const { keyPair } = useKey();
  const [hubUrl, setHubUrlState] = useState<string | null>(null);
  const [auth, setAuth] = useState<AuthState>({ state: 'anonymous' });
  const keyRef = useRef(keyPair);
  keyRef.current = keyPair;

  useEffect(() => setHubUrlState(loadHubUrl(defaultHub)), [defaultHub]);
  const setHubUrl = useCallback((url: string) => {
    saveHubUrl(url);
    setHubUrlState(url);
  }, []);

  const { socket, connection, attempts, bundle, setBundle } = useHubSocket(hubUrl, keyRef, setAuth);
  const login = { socket, connection, keyPair, keyRef, auth, setAuth };
  const { session, retryAuth } = useOperatorLogin(login);
  const trust = useTrustView(bundle, hubUrl);

  const refreshTrust = useCallback(async () => {
    if (!socket) return;
    const ack = await call(socket, 'trust:get');
    if (ack.ok) setBundle(ack.data);
  }, [socket, setBundle]);

  const ready = connection === 'connected' && auth.state === 'operator';
  const value = useMemo<HubState>(
    () => ({
      hubUrl: hubUrl ?? defaultHub,
      setHubUrl,
      allowedOrigins,
      socket,
      connection,
      attempts,
      auth,
      ready,
      session,
      trust,
      refreshTrust,
      retryAuth,
    }),
    [
      hubUrl,
      defaultHub,
      setHubUrl,
      allowedOrigins,
      socket,
      connection,
      attempts,
      auth,
      ready,
      session,
      trust,
      refreshTrust,
      retryAuth,
    ],
  );
  return <HubContext.Provider value={value}>{children}</HubContext.Provider>;
}

/** Log in whenever connected with an unlocked key; retry a refused key every 10 s. */
function useOperatorLogin({
  socket,
  connection,
  keyPair,
  keyRef,
  auth,
  setAuth,
}: {
  socket: OperatorSocket | null;
  connection: Connection;
  keyPair: KeyPair | null;
  keyRef: RefObject<KeyPair | null>;
  auth: AuthState;
  setAuth: (a: AuthState) => void;
}) {
  const [session, setSession] = useState(0);
  const [authNonce, setAuthNonce] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: authNonce forces a retry
  useEffect(() => {
    if (!socket) return;
    if (connection === 'parked') {
      if (!keyPair) return;
      const t = setTimeout(() => socket.connect(), auth.state === 'refused' ? 10_000 : 0);
      return () => clearTimeout(t);
    }
    if (connection !== 'connected') return;
    if (!keyPair) {
      // locking drops the session: the hub keeps a socket's role until it closes
      if (auth.state === 'operator') socket.disconnect();
      return;
    }
    if (auth.state === 'operator' || auth.state === 'authenticating') return;
    let cancelled = false;
    if (auth.state !== 'refused') setAuth({ state: 'authenticating' });
    void authenticate(socket, keyPair).then((result) => {
      if (cancelled || keyRef.current !== keyPair) return;
      setAuth(result);
      if (result.state === 'operator') setSession((n) => n + 1);
      else socket.disconnect();
    });
    return () => {
      cancelled = true;
    };
  }, [socket, connection, keyPair, authNonce]);

  const retryAuth = useCallback(() => {
    if (socket && !socket.connected) socket.connect();
    else setAuthNonce((n) => n + 1);
  }, [socket]);
  return { session, retryAuth };
}

export function useHub(): HubState {
  const ctx = useContext(HubContext);
  if (!ctx) throw new Error('useHub outside HubProvider');
  return ctx;
}
