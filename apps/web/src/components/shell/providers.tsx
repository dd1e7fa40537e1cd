'use client';
import { type ReactNode, useMemo } from 'react';
import { Toaster } from 'sonner';
import { FleetProvider, useFleet } from '@/features/fleet/fleet-context';
import { RolloutDriverProvider } from '@/features/rollout/rollout-driver';
import { HubProvider } from '@/lib/hub/hub-context';
import { KeyProvider } from '@/lib/keys/key-context';
import { AuditHeadProvider } from '@/lib/roster/audit-head-context';
import { RosterProvider } from '@/lib/roster/roster-context';
import { useThemeChoice } from './theme-toggle';

/** The roster re-reads the hub's approvals when its fleet gains or loses an approved host. */
function FleetRoster({ children }: { children: ReactNode }) {
  const { hosts } = useFleet();
  const approved = useMemo(
    () =>
      hosts
        .filter((h) => h.approved)
        .map((h) => `${h.name}\u0000${h.keyId}`)
        .sort()
        .join('\n'),
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
                {children}
                <ThemedToaster />
              </RolloutDriverProvider>
            </AuditHeadProvider>
          </FleetRoster>
        </FleetProvider>
      </HubProvider>
    </KeyProvider>
  );
}
