'use client';
import { fleetBlockers, fleetHostOf, mayAllowUnknown, precheckFleet } from '@serfbort/client';
import type { Target } from '@serfbort/core';
import { useMemo, useState } from 'react';
import type { FleetState } from '@/features/fleet/fleet-context';

/**
 * Typos caught before signing, by the CLI's own rule (client's precheckFleet and
 * fleetBlockers): a target matching no known host stops the review; unknown host names
 * and an app no targeted host has stop it too unless the operator ticks "sign anyway".
 */
export function useFleetPrecheck(
  app: string,
  appOk: boolean,
  target: Target | null,
  fleet: FleetState,
) {
  const [allowUnknown, setAllowUnknown] = useState(false);
  return useMemo(() => {
    // nothing to judge yet: the fields' own checks speak, or the fleet is still loading
    if (!fleet.loaded || !target || !appOk)
      return { blocking: [], warnings: [], overridable: false, allowUnknown, setAllowUnknown };
    const verdict = precheckFleet({ app, target, known: fleet.hosts.map(fleetHostOf) });
    return {
      ...fleetBlockers(verdict, allowUnknown),
      overridable: mayAllowUnknown(verdict),
      allowUnknown,
      setAllowUnknown,
    };
  }, [app, appOk, target, fleet.loaded, fleet.hosts, allowUnknown]);
}

export type FleetPrecheck = ReturnType<typeof useFleetPrecheck>;
