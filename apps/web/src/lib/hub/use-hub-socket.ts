'use client';
import { OPERATOR_NAMESPACE, type TrustBundle } from '@serfbort/core';
import { type RefObject, useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { call, type OperatorSocket } from './call';
import type { AuthState, Connection } from './hub-context';

/**
 * One socket per hub URL; socket.io's manager reconnects after network failures with
 * backoff and jitter, forever. The hub closes sockets that do not log in within its
 * auth timeout, so without an unlocked key or a viewer token we fetch the trust documents and then
 * "park" (disconnect on purpose) instead of being kicked in a loop.
 */
export function useHubSocket(
  hubUrl: string | null,
  /** true while there is something to log in with (an unlocked key or a viewer token) */
  credentialRef: RefObject<boolean>,
  setAuth: (update: (a: AuthState) => AuthState) => void,
) {
  const [socket, setSocket] = useState<OperatorSocket | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [attempts, setAttempts] = useState(0);
  const [bundle, setBundle] = useState<TrustBundle | null>(null);

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
        if (!credentialRef.current && s.connected) s.disconnect();
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
    // credentialRef and setAuth are stable (a ref and a state setter): only the URL makes a new socket
  }, [hubUrl, credentialRef, setAuth]);

  return { socket, connection, attempts, bundle, setBundle };
}
