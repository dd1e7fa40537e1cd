'use client';
import { Loader2Icon } from 'lucide-react';
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
  const { ready, connection, auth } = useHub();
  if (ready) return <>{children}</>;
  const waiting =
    connection === 'connecting' || connection === 'reconnecting' || auth.state === 'authenticating';
  return (
    <div className="grid flex-1 place-items-center rounded-lg border border-dashed p-10 text-center text-muted-foreground">
      <div className="grid justify-items-center gap-2">
        {waiting ? <Loader2Icon className="size-5 animate-spin" /> : null}
        <p className="text-sm">
          {waiting
            ? 'Waiting for the hub…'
            : `Sign in with an authorized, unlocked key to see ${what}.`}
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
