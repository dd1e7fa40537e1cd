'use client';
import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * A page's view state kept in its URL query, so a view can be shared and back/forward
 * walk through it. `set` pushes a history entry; `{ replace: true }` (typing) does not.
 * Empty values are removed, so the default view has a clean URL.
 *
 * `set` goes through the browser's history API, which Next's router follows (it updates
 * `useSearchParams`), and builds on the URL as it is at the call: `router.replace` updates
 * the URL only after a transition, so a second change made before it ended was built on
 * the old query and undid the first (CI saw the fleet keep a selector typed before the
 * last one). It also asks the server for nothing: a filter is the client's business.
 */
export function useQueryState() {
  const params = useSearchParams();
  const set = useCallback(
    (changes: Record<string, string | undefined>, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      const query = next.toString();
      if (query === window.location.search.slice(1)) return;
      const href = `${window.location.pathname}${query ? `?${query}` : ''}`;
      if (options.replace) window.history.replaceState(null, '', href);
      else window.history.pushState(null, '', href);
    },
    [],
  );
  return { params, set };
}
