'use client';
import { cn } from '@/lib/utils';
import { useProposals, waitingCount } from './proposals-context';

/** The navigation's badge: how many open proposals verify here and wait for signatures. */
export function PendingCount({ compact = false }: { compact?: boolean }) {
  const { open } = useProposals();
  const n = waitingCount(open);
  if (n === 0) return null;
  return (
    <span
      className={cn(
        'grid min-w-4.5 place-items-center rounded-full bg-primary px-1 text-[10.5px] font-semibold leading-4.5 text-primary-foreground',
        compact ? 'absolute -top-1 -right-1' : 'ml-auto',
      )}
      title={`${n} open proposal${n === 1 ? '' : 's'} waiting for signatures`}
      data-testid="pending-count"
    >
      {n}
    </span>
  );
}
