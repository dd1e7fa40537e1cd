'use client';
import { EyeIcon, Loader2Icon } from 'lucide-react';
import type { ReactNode } from 'react';
import { useHub } from '@/lib/hub/hub-context';
import { cn } from '@/lib/utils';

export function Page({
  title,
  description,
  actions,
  children,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('flex min-h-0 flex-1 flex-col gap-4 px-6 py-5', className)}>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          {description ? (
            <p className="mt-0.5 text-[13px] text-muted-foreground">{description}</p>
          ) : null}
        </div>
        {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
      </div>
      {children}
    </div>
  );
}

/** Content that needs an authenticated operator session; the banner above says why not. */
export function RequireOperator({ children, what }: { children: ReactNode; what: string }) {
  const { ready, auth } = useHub();
  if (ready) return <>{children}</>;
  if (auth.state === 'viewer') return <ViewerCannot what={what} />;
  return <Waiting what={what} />;
}

/** Content anyone logged in may read: an operator, or a viewer with the hub's viewer token. */
export function RequireReader({ children, what }: { children: ReactNode; what: string }) {
  const { canRead } = useHub();
  if (canRead) return <>{children}</>;
  return <Waiting what={what} orWatch />;
}

/** Signing needs a key: shown to viewers in place of a form they could not submit. */
export function ViewerCannot({ what }: { what: string }) {
  return (
    <div
      className="grid flex-1 place-items-center rounded-lg border border-dashed p-10 text-center text-muted-foreground"
      data-testid="viewer-read-only"
    >
      <div className="grid justify-items-center gap-2">
        <EyeIcon className="size-5" />
        <p className="text-sm">
          You are watching read-only with the hub&apos;s viewer token: {what} needs an authorized
          operator key, unlocked in this browser.
        </p>
      </div>
    </div>
  );
}

function Waiting({ what, orWatch = false }: { what: string; orWatch?: boolean }) {
  const { connection, auth } = useHub();
  const waiting =
    connection === 'connecting' || connection === 'reconnecting' || auth.state === 'authenticating';
  return (
    <div className="grid flex-1 place-items-center rounded-lg border border-dashed p-10 text-center text-muted-foreground">
      <div className="grid justify-items-center gap-2">
        {waiting ? <Loader2Icon className="size-5 animate-spin" /> : null}
        <p className="text-sm">
          {waiting
            ? 'Waiting for the hub…'
            : `Sign in with an authorized, unlocked key${orWatch ? ' (or watch with the hub’s viewer token)' : ''} to see ${what}.`}
        </p>
      </div>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="grid place-items-center rounded-lg border border-dashed p-10 text-center text-sm text-muted-foreground">
      {children}
    </div>
  );
}
