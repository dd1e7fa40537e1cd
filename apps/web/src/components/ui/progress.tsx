import { cn } from '@/lib/utils';

export interface Segment {
  value: number;
  className: string;
  label: string;
}

/** A stacked bar: one coloured segment per outcome, widths proportional to counts. */
export function StackedProgress({
  total,
  segments,
  className,
}: {
  total: number;
  segments: Segment[];
  className?: string;
}) {
  return (
    <div
      className={cn('flex h-2 w-full overflow-hidden rounded-full bg-muted', className)}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={segments.reduce((n, s) => n + s.value, 0)}
    >
      {segments.map((s) =>
        s.value > 0 ? (
          <div
            key={s.label}
            title={`${s.label}: ${s.value}`}
            className={cn('h-full transition-[width] duration-300', s.className)}
            style={{ width: `${(s.value / Math.max(total, 1)) * 100}%` }}
          />
        ) : null,
      )}
    </div>
  );
}
