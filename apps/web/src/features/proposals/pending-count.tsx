'use client';
import { useHub } from '@/lib/hub/hub-context';
import { useKey } from '@/lib/keys/key-context';
import { cn } from '@/lib/utils';
import { useProposals, waitingCount } from './proposals-context';

/** The navigation's badge: open proposals that verify here and wait for this key (or anyone). */
export function PendingCount({ compact = false }: { compact?: boolean }) {
  const { open } = useProposals();
  const { auth } = useHub();
  const { file } = useKey();
  const n = waitingCount(open, auth.state === 'operator' ? (file?.keyId ?? null) : null);
  if (n === 0) return null;
  return (
    <span
      className={cn(
        'grid min-w-4.5 place-items-center rounded-full bg-primary px-1 text-[10.5px] font-semibold leading-4.5 text-primary-foreground',
        compact ? 'absolute -top-1 -right-1' : 'ml-auto',
      )}
      title={`${n} open proposal${n === 1 ? '' : 's'} waiting for ${auth.state === 'operator' ? 'your signature' : 'signatures'}`}
      data-testid="pending-count"
    >
      {n}
    </span>
  );
}
