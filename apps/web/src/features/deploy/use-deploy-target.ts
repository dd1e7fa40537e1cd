'use client';
import { type HostView, matchesSelector, type Target } from '@serfbort/core';
import { useMemo, useState } from 'react';
import { useParsedSelector } from '@/components/selector/selector-input';
import type { FleetState } from '@/features/fleet/fleet-context';

export type TargetMode = 'selector' | 'hosts';

/** Params a link may carry to prefill the target (see `redeployHref`). */
interface TargetParams {
  get(name: string): string | null;
}

/**
 * The target as the operator is typing it: a label selector or picked host names,
 * and the hosts of the fleet it matches right now.
 */
export function useDeployTarget(params: TargetParams, fleet: FleetState) {
  const [mode, setMode] = useState<TargetMode>(params.get('hosts') ? 'hosts' : 'selector');
  const [selectorText, setSelectorText] = useState(params.get('selector') ?? '');
  const [picked, setPicked] = useState<Set<string>>(
    () => new Set((params.get('hosts') ?? '').split(',').filter(Boolean)),
  );
  const parsed = useParsedSelector(selectorText);

  const matching = useMemo<HostView[]>(() => {
    if (mode === 'hosts') return fleet.hosts.filter((h) => picked.has(h.name));
    if (!parsed?.ok) return [];
    return fleet.hosts.filter((h) => matchesSelector(parsed.selector, h.labels));
  }, [mode, picked, parsed, fleet.hosts]);

  const target: Target | null =
    mode === 'selector'
      ? parsed?.ok
        ? { selector: selectorText.trim() }
        : null
      : picked.size > 0
        ? { hosts: [...picked].sort() }
        : null;

  // named hosts the hub has never seen: the request may still go out, but say so
  const unknownNamed = mode === 'hosts' ? [...picked].filter((n) => !fleet.byName.has(n)) : [];

  return {
    mode,
    setMode,
    selectorText,
    setSelectorText,
    parsed,
    picked,
    setPicked,
    matching,
    target,
    unknownNamed,
  };
}

export type DeployTarget = ReturnType<typeof useDeployTarget>;
