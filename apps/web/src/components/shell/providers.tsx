'use client';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { FleetProvider } from '@/features/fleet/fleet-context';
import { RolloutDriverProvider } from '@/features/rollout/rollout-driver';
import { HubProvider } from '@/lib/hub/hub-context';
import { KeyProvider } from '@/lib/keys/key-context';
import { useThemeChoice } from './theme-toggle';

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
          <RolloutDriverProvider>
            {children}
            <ThemedToaster />
          </RolloutDriverProvider>
        </FleetProvider>
      </HubProvider>
    </KeyProvider>
  );
}
