'use client';
import { type AgentKeyRecord, verifyAgentKey } from '@serfbort/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { browserVerifier } from '../crypto';
import { call } from '../hub/call';
import { useHub } from '../hub/hub-context';

export type AgentKeyLookup = (
  host: string,
) => { ok: true; key: Uint8Array } | { ok: false; why: string };

/**
 * Agent keys the dashboard believes: the hub lists them, but each one counts only with
 * an operator's signed approval (or enrollment grant) that verifies against the keyring
 * verified in this browser. Verification is lazy and cached per host and key, because
 * tweetnacl takes milliseconds per signature and a fleet can hold thousands of hosts.
 */
export function useAgentKeys(): {
  lookup: AgentKeyLookup;
  refresh: () => Promise<void>;
  version: number;
} {
  const { socket, canRead: ready, session, trust } = useHub();
  const records = useRef(new Map<string, AgentKeyRecord>());
  const verdicts = useRef(new Map<string, ReturnType<AgentKeyLookup>>());
  const [version, setVersion] = useState(0);
  const keyring = trust?.keyring ?? null;

  const refresh = useCallback(async () => {
    if (!socket || !ready) return;
    const ack = await call(socket, 'agents:keys');
    if (!ack.ok) return;
    records.current = new Map(ack.data.map((r) => [r.host, r]));
    setVersion((n) => n + 1);
  }, [socket, ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: session marks a new login
  useEffect(() => {
    void refresh();
  }, [refresh, session]);

  // a new keyring may revoke the operator who approved an agent: judge again
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on keyring change
  useEffect(() => {
    verdicts.current = new Map();
    setVersion((n) => n + 1);
  }, [keyring]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks new records
  const lookup = useCallback<AgentKeyLookup>(
    (host) => {
      const record = records.current.get(host);
      if (!record) return { ok: false, why: `the hub lists no agent key for ${host}` };
      if (!keyring) return { ok: false, why: 'no verified keyring to check the approval against' };
      const cacheKey = `${host}\u0000${record.keyId}`;
      let verdict = verdicts.current.get(cacheKey);
      if (!verdict) {
        const v = verifyAgentKey(record, keyring, browserVerifier);
        verdict = v.ok ? { ok: true, key: v.publicKey } : { ok: false, why: v.detail };
        verdicts.current.set(cacheKey, verdict);
      }
      return verdict;
    },
    [keyring, version],
  );

  return { lookup, refresh, version };
}
