'use client';
import { KeyRoundIcon, LockIcon, ShieldAlertIcon, ShieldCheckIcon } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { cn } from '@/lib/utils';
import { HubUrlDialog } from './hub-url-dialog';

function Dot({ className }: { className: string }) {
  return <span className={cn('size-2 rounded-full', className)} aria-hidden="true" />;
}

const pill =
  'flex h-8 items-center gap-2 rounded-md border bg-card px-2.5 text-[13px] hover:bg-accent';

export function StatusBar() {
  const { hubUrl, connection, auth, trust } = useHub();
  const key = useKey();
  const [editing, setEditing] = useState(false);
  const hubLabel =
    connection === 'connected'
      ? 'Connected'
      : connection === 'parked'
        ? 'Reachable'
        : connection === 'connecting'
          ? 'Connecting…'
          : 'Reconnecting…';
  const trustOk = trust && (trust.status === 'ok' || trust.status === 'expiring');

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
        <span>{hubLabel}</span>
      </button>
      {trust ? (
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
      ) : null}
      <Link href="/keys" className={pill} data-testid="key-status" data-auth={auth.state}>
        {key.status === 'unlocked' ? (
          <KeyRoundIcon
            className={cn('size-4', auth.state === 'operator' ? 'text-ok' : 'text-warn')}
          />
        ) : (
          <LockIcon className="size-4 text-muted-foreground" />
        )}
        <span>
          {key.status === 'none'
            ? 'No key'
            : key.status === 'locked'
              ? 'Locked'
              : key.status === 'loading'
                ? '…'
                : auth.state === 'operator'
                  ? (auth.name ?? key.file?.name ?? 'operator')
                  : auth.state === 'refused'
                    ? 'Not authorized'
                    : (key.file?.name ?? 'Unlocked')}
        </span>
      </Link>
      <HubUrlDialog open={editing} onOpenChange={setEditing} />
    </div>
  );
}
