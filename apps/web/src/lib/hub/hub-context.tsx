'use client';
import {
  currentPayloadType,
  type KeyPair,
  OPERATOR_NAMESPACE,
  SPEAKS_THIS_BUILD,
  signerFor,
  signPayload,
  type TrustBundle,
} from '@serfbort/core';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { io } from 'socket.io-client';
import { useKey } from '../keys/key-context';
import { loadRootPin, saveRootPin } from '../trust/root-pin';
import { type TrustView, verifyTrustBundle } from '../trust/verify-trust';
import { call, type OperatorSocket } from './call';
import { loadHubUrl, saveHubUrl } from './hub-url';

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
  const [socket, setSocket] = useState<OperatorSocket | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [attempts, setAttempts] = useState(0);
  const [auth, setAuth] = useState<AuthState>({ state: 'anonymous' });
  const [session, setSession] = useState(0);
  const [bundle, setBundle] = useState<TrustBundle | null>(null);
  const [authNonce, setAuthNonce] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const keyRef = useRef(keyPair);
  keyRef.current = keyPair;

  useEffect(() => setHubUrlState(loadHubUrl(defaultHub)), [defaultHub]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);

  const setHubUrl = useCallback((url: string) => {
    saveHubUrl(url);
    setHubUrlState(url);
  }, []);

  // one socket per hub URL; socket.io's manager reconnects after network failures with
  // backoff and jitter, forever. The hub closes sockets that do not log in within its
  // auth timeout, so without an unlocked key we fetch the trust documents and then
  // "park" (disconnect on purpose) instead of being kicked in a loop.
  useEffect(() => {
    if (!hubUrl) return;
    const s: OperatorSocket = io(`${hubUrl}${OPERATOR_NAMESPACE}`, {
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      timeout: 8000,
    });
    setSocket(s);
    setConnection('connecting');
    setAttempts(0);
    s.on('connect', () => {
      setConnection('connected');
      setAttempts(0);
      void call(s, 'trust:get').then((ack) => {
        if (ack.ok) setBundle(ack.data);
        if (!keyRef.current && s.connected) s.disconnect();
      });
    });
    s.on('disconnect', (reason) => {
      setAuth((a) => (a.state === 'refused' ? a : { state: 'anonymous' }));
      // closed on purpose (by us, or by the hub after its auth timeout or a revocation):
      // the hub is reachable, we are just not holding a session
      setConnection(
        reason === 'io client disconnect' || reason === 'io server disconnect'
          ? 'parked'
          : 'reconnecting',
      );
    });
    s.on('connect_error', () => {
      setConnection('reconnecting');
      setAttempts((n) => n + 1);
    });
    s.on('trust:update', (b) => setBundle(b));
    return () => {
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
      setBundle(null);
    };
  }, [hubUrl]);

  // log in whenever connected with an unlocked key; retry a refused key every 10 s
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

  const refreshTrust = useCallback(async () => {
    if (!socket) return;
    const ack = await call(socket, 'trust:get');
    if (ack.ok) setBundle(ack.data);
  }, [socket]);

  const trust = useMemo(() => {
    if (!bundle || !hubUrl) return null;
    const view = verifyTrustBundle(bundle, loadRootPin(hubUrl), now);
    if (view.pinnedDigest && view.status !== 'invalid' && !loadRootPin(hubUrl))
      saveRootPin(hubUrl, view.pinnedDigest);
    return view;
  }, [bundle, hubUrl, now]);

  const retryAuth = useCallback(() => {
    if (socket && !socket.connected) socket.connect();
    else setAuthNonce((n) => n + 1);
  }, [socket]);
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

export function useHub(): HubState {
  const ctx = useContext(HubContext);
  if (!ctx) throw new Error('useHub outside HubProvider');
  return ctx;
}
