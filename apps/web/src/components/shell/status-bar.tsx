'use client';
import { EyeIcon, KeyRoundIcon, LockIcon, ShieldAlertIcon, ShieldCheckIcon } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { type AuthState, type Connection, useHub } from '@/lib/hub/hub-context';
import { type KeyState, useKey } from '@/lib/keys/key-context';
import type { TrustView } from '@/lib/trust/verify-trust';
import { cn } from '@/lib/utils';
import { HubUrlDialog } from './hub-url-dialog';

function Dot({ className }: { className: string }) {
  return <span className={cn('size-2 rounded-full', className)} aria-hidden="true" />;
}

const pill =
  'flex h-8 items-center gap-2 rounded-md border bg-card px-2.5 text-[13px] hover:bg-accent';

const HUB_LABEL: Record<Connection, string> = {
  connected: 'Connected',
  parked: 'Reachable',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
};

export function StatusBar() {
  const { hubUrl, connection, auth, trust } = useHub();
  const key = useKey();
  const [editing, setEditing] = useState(false);

  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        className={pill}
        onClick={() => setEditing(true)}
        title="Change hub"
        data-testid="hub-status"
      >
        <Dot
          className={
            connection === 'connected' || connection === 'parked'
              ? 'bg-ok'
              : connection === 'connecting'
                ? 'bg-warn animate-pulse'
                : 'bg-bad animate-pulse'
          }
        />
        <span className="hidden font-mono text-xs text-muted-foreground lg:inline">
          {hubUrl.replace(/^https?:\/\//, '')}
        </span>
        <span>{HUB_LABEL[connection]}</span>
      </button>
      {trust ? <TrustPill trust={trust} /> : null}
      <KeyPill k={key} auth={auth} />
      <HubUrlDialog open={editing} onOpenChange={setEditing} />
    </div>
  );
}

function TrustPill({ trust }: { trust: TrustView }) {
  const trustOk = trust.status === 'ok' || trust.status === 'expiring';
  return (
    <Link
      href="/keys"
      className={cn(pill, !trustOk && 'border-bad/50 text-bad')}
      title="Trust documents verified in this browser"
    >
      {trustOk ? (
        <ShieldCheckIcon className="size-4 text-ok" />
      ) : (
        <ShieldAlertIcon className="size-4" />
      )}
      <span className="hidden sm:inline">
        {trust.keyring
          ? `keyring v${trust.keyring.keyring.version}`
          : trust.status === 'invalid'
            ? 'trust invalid'
            : 'no keyring'}
      </span>
    </Link>
  );
}

function keyLabel(key: KeyState, auth: AuthState): string {
  if (auth.state === 'viewer') return 'viewer (read-only)';
  if (key.status === 'none') return 'No key';
  if (key.status === 'locked') return 'Locked';
  if (key.status === 'loading') return '…';
  if (auth.state === 'operator') return auth.name ?? key.file?.name ?? 'operator';
  if (auth.state === 'refused') return 'Not authorized';
  return key.file?.name ?? 'Unlocked';
}

function KeyPill({ k, auth }: { k: KeyState; auth: AuthState }) {
  return (
    <Link href="/keys" className={pill} data-testid="key-status" data-auth={auth.state}>
      {auth.state === 'viewer' ? (
        <EyeIcon className="size-4 text-info" />
      ) : k.status === 'unlocked' ? (
        <KeyRoundIcon
          className={cn('size-4', auth.state === 'operator' ? 'text-ok' : 'text-warn')}
        />
      ) : (
        <LockIcon className="size-4 text-muted-foreground" />
      )}
      <span>{keyLabel(k, auth)}</span>
    </Link>
  );
}
