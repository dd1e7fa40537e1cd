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
import { useViewerToken, type ViewerToken } from './viewer-token';

/** parked: the hub is reachable but we hold no session (no key unlocked, or refused) */
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'parked';
export type AuthState =
  | { state: 'anonymous' }
  | { state: 'authenticating' }
  | { state: 'operator'; keyId: string; name: string | null; hubId: string }
  /** logged in with the hub's viewer token: reads only */
  | { state: 'viewer'; hubId: string }
  /** `as` says which credential the hub refused */
  | { state: 'refused'; code: string; message: string; as?: 'operator' | 'viewer' };

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
  /** true when connected and allowed to read: an operator or a viewer */
  canRead: boolean;
  /** the viewer token this browser watches with when no key is unlocked */
  viewer: ViewerToken | null;
  setViewer(token: string, remember: boolean): void;
  forgetViewer(): void;
  /** bumps on every successful login, so pages re-fetch and re-subscribe */
  session: number;
  /** the id the hub named in this session's challenge: what this browser remembers it by */
  hubId: string | null;
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
    hubId: challenge.data.hubId,
  };
}

async function authenticateViewer(socket: OperatorSocket, viewerToken: string): Promise<AuthState> {
  // a viewer signs nothing; the challenge only tells which hub this is (for the roster)
  const challenge = await call(socket, 'auth:challenge');
  if (!challenge.ok) return { state: 'refused', ...challenge.error, as: 'viewer' };
  const hello = await call(socket, 'auth:hello', { viewerToken });
  if (!hello.ok) return { state: 'refused', ...hello.error, as: 'viewer' };
  return hello.data.role === 'viewer'
    ? { state: 'viewer', hubId: challenge.data.hubId }
    : { state: 'anonymous' };
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
  const { viewer, setViewer: storeViewer, forgetViewer } = useViewerToken();
  const viewerToken = viewer?.token ?? null;
  // the socket stays connected after fetching trust only when it can log in
  const credentialRef = useRef(false);
  credentialRef.current = keyPair !== null || viewerToken !== null;
  const setViewer = useCallback(
    (token: string, remember: boolean) => {
      storeViewer(token, remember);
      // a new token deserves a fresh try, even after the hub refused the last one
      setAuth((a) => (a.state === 'refused' && a.as === 'viewer' ? { state: 'anonymous' } : a));
    },
    [storeViewer],
  );

  useEffect(() => setHubUrlState(loadHubUrl(defaultHub)), [defaultHub]);
  const setHubUrl = useCallback((url: string) => {
    saveHubUrl(url);
    setHubUrlState(url);
  }, []);

  const { socket, connection, attempts, bundle, setBundle } = useHubSocket(
    hubUrl,
    credentialRef,
    setAuth,
  );
  const login = { socket, connection, keyPair, keyRef, viewerToken, auth, setAuth };
  const { session, retryAuth } = useOperatorLogin(login);
  const trust = useTrustView(bundle, hubUrl);

  const refreshTrust = useCallback(async () => {
    if (!socket) return;
    const ack = await call(socket, 'trust:get');
    if (ack.ok) setBundle(ack.data);
  }, [socket, setBundle]);

  const ready = connection === 'connected' && auth.state === 'operator';
  const canRead = ready || (connection === 'connected' && auth.state === 'viewer');
  const hubId = auth.state === 'operator' || auth.state === 'viewer' ? auth.hubId : null;
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
      canRead,
      viewer,
      setViewer,
      forgetViewer,
      session,
      hubId,
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
      canRead,
      viewer,
      setViewer,
      forgetViewer,
      session,
      hubId,
      trust,
      refreshTrust,
      retryAuth,
    ],
  );
  return <HubContext.Provider value={value}>{children}</HubContext.Provider>;
}

/**
 * Log in whenever connected: as an operator with an unlocked key, else as a viewer with the
 * viewer token. A refused key is retried every 10 s (the keyring may change); a refused
 * viewer token waits for a new one or "Try again".
 */
function useOperatorLogin({
  socket,
  connection,
  keyPair,
  keyRef,
  viewerToken,
  auth,
  setAuth,
}: {
  socket: OperatorSocket | null;
  connection: Connection;
  keyPair: KeyPair | null;
  keyRef: RefObject<KeyPair | null>;
  viewerToken: string | null;
  auth: AuthState;
  setAuth: (a: AuthState) => void;
}) {
  const [session, setSession] = useState(0);
  const [authNonce, setAuthNonce] = useState(0);
  const viewerRefused = auth.state === 'refused' && auth.as === 'viewer';

  // biome-ignore lint/correctness/useExhaustiveDependencies: authNonce forces a retry
  useEffect(() => {
    if (!socket) return;
    if (connection === 'parked') {
      if (!keyPair && (!viewerToken || viewerRefused)) return;
      const retryLater = auth.state === 'refused' && !viewerRefused;
      const t = setTimeout(() => socket.connect(), retryLater ? 10_000 : 0);
      return () => clearTimeout(t);
    }
    if (connection !== 'connected') return;
    if (auth.state === 'authenticating') return;
    // the hub keeps a socket's role until it closes: a change of credential needs a new socket
    if (auth.state === 'operator' && !keyPair) return void socket.disconnect();
    if (auth.state === 'viewer' && (keyPair || !viewerToken)) return void socket.disconnect();
    if (auth.state === 'operator' || auth.state === 'viewer') return;
    if (!keyPair && (!viewerToken || viewerRefused)) return;
    let cancelled = false;
    if (auth.state !== 'refused') setAuth({ state: 'authenticating' });
    const attempt = keyPair
      ? authenticate(socket, keyPair).then((r) =>
          r.state === 'refused' ? { ...r, as: 'operator' as const } : r,
        )
      : authenticateViewer(socket, viewerToken!);
    void attempt.then((result) => {
      if (cancelled || keyRef.current !== keyPair) return;
      setAuth(result);
      if (result.state === 'operator' || result.state === 'viewer') setSession((n) => n + 1);
      else socket.disconnect();
    });
    return () => {
      cancelled = true;
    };
  }, [socket, connection, keyPair, viewerToken, viewerRefused, authNonce]);

  const retryAuth = useCallback(() => {
    if (viewerRefused) setAuth({ state: 'anonymous' });
    if (socket && !socket.connected) socket.connect();
    else setAuthNonce((n) => n + 1);
  }, [socket, viewerRefused, setAuth]);
  return { session, retryAuth };
}

export function useHub(): HubState {
  const ctx = useContext(HubContext);
  if (!ctx) throw new Error('useHub outside HubProvider');
  return ctx;
}
