'use client';
import { type ReactNode, useMemo } from 'react';
import { Toaster } from 'sonner';
import { FleetProvider, useFleet } from '@/features/fleet/fleet-context';
import { ProposalsProvider } from '@/features/proposals/proposals-context';
import { RolloutDriverProvider } from '@/features/rollout/rollout-driver';
import { HubProvider } from '@/lib/hub/hub-context';
import { KeyProvider } from '@/lib/keys/key-context';
import { AuditHeadProvider } from '@/lib/roster/audit-head-context';
import { RosterProvider } from '@/lib/roster/roster-context';
import { useThemeChoice } from './theme-toggle';

/** A cheap order-free fingerprint of a list of strings (a sum of 32-bit FNV-1a hashes). */
function setFingerprint(items: Iterable<string>): string {
  let sum = 0;
  let count = 0;
  for (const item of items) {
    let h = 0x811c9dc5;
    for (let i = 0; i < item.length; i++) h = Math.imul(h ^ item.charCodeAt(i), 0x01000193);
    sum = (sum + (h >>> 0)) % 0x100000000;
    count++;
  }
  return `${count}:${sum}`;
}

/**
 * The roster re-reads the hub's approvals when its fleet gains or loses an approved host
 * (or a host's key changes); a fingerprint, since a large fleet changes every few seconds.
 */
function FleetRoster({ children }: { children: ReactNode }) {
  const { hosts } = useFleet();
  const approved = useMemo(
    () => setFingerprint(hosts.filter((h) => h.approved).map((h) => `${h.name}\u0000${h.keyId}`)),
    [hosts],
  );
  return <RosterProvider approvedHosts={approved}>{children}</RosterProvider>;
}

function ThemedToaster() {
  const { resolved } = useThemeChoice();
  return <Toaster theme={resolved} richColors closeButton position="bottom-right" />;
}

export function Providers({
  defaultHub,
  allowedOrigins,
  children,
}: {
  defaultHub: string;
  allowedOrigins: string[];
  children: ReactNode;
}) {
  return (
    <KeyProvider>
      <HubProvider defaultHub={defaultHub} allowedOrigins={allowedOrigins}>
        <FleetProvider>
          <FleetRoster>
            <AuditHeadProvider>
              <RolloutDriverProvider>
                <ProposalsProvider>
                  {children}
                  <ThemedToaster />
                </ProposalsProvider>
              </RolloutDriverProvider>
            </AuditHeadProvider>
          </FleetRoster>
        </FleetProvider>
      </HubProvider>
    </KeyProvider>
  );
}
