'use client';
import type { HostProgress } from '@serfbort/core';
import { useMemo, useRef } from 'react';
import type { AgentKeyLookup } from '@/lib/trust/agent-keys';
import { type ReceiptVerdict, verifyHostReceipt } from './verify-deployment';

interface VerdictCache {
  lookup: unknown;
  digest: string | null;
  byKey: Map<string, ReceiptVerdict>;
}

/**
 * Each host's receipt verified in this browser. Each receipt is verified once (tweetnacl
 * takes milliseconds); a new key list or keyring (a new `lookup`) or a new request digest
 * starts over.
 */
export function useReceiptVerdicts(
  hosts: HostProgress[],
  requestId: string,
  digest: string | null,
  lookup: AgentKeyLookup,
  refresh: () => Promise<unknown>,
): Map<string, ReceiptVerdict> {
  const refreshed = useRef(new Set<string>());
  const cache = useRef<VerdictCache>({ lookup: null, digest: null, byKey: new Map() });
  return useMemo(() => {
    if (cache.current.lookup !== lookup || cache.current.digest !== digest)
      cache.current = { lookup, digest, byKey: new Map() };
    const out = new Map<string, ReceiptVerdict>();
    for (const h of hosts) {
      const cacheKey = `${h.host}\u0000${h.state}\u0000${h.receipt ? JSON.stringify(h.receipt) : ''}`;
      let v = cache.current.byKey.get(cacheKey);
      if (!v) {
        v = verifyHostReceipt(h, requestId, digest, lookup);
        cache.current.byKey.set(cacheKey, v);
      }
      // a host approved after we loaded the key list: fetch the list once more
      if (
        v.kind === 'unverified' &&
        v.why.startsWith('the hub lists no agent key') &&
        !refreshed.current.has(h.host)
      ) {
        refreshed.current.add(h.host);
        void refresh();
      }
      out.set(h.host, v);
    }
    return out;
  }, [hosts, requestId, digest, lookup, refresh]);
}
