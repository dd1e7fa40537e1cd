'use client';
import type { TrustBundle } from '@serfbort/core';
import { useEffect, useMemo, useState } from 'react';
import { loadRootPin, saveRootPin } from './root-pin';
import { type TrustView, verifyTrustBundle } from './verify-trust';

/**
 * The hub's trust documents as verified in this browser, re-checked every minute so an
 * expiry shows without a reload. The first root seen for a hub URL is pinned.
 */
export function useTrustView(bundle: TrustBundle | null, hubUrl: string | null): TrustView | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);

  return useMemo(() => {
    if (!bundle || !hubUrl) return null;
    const view = verifyTrustBundle(bundle, loadRootPin(hubUrl), now);
    if (view.pinnedDigest && view.status !== 'invalid' && !loadRootPin(hubUrl))
      saveRootPin(hubUrl, view.pinnedDigest);
    return view;
  }, [bundle, hubUrl, now]);
}
