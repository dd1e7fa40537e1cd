import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';

export const badgeVariants = cva(
  'inline-flex items-center gap-1 whitespace-nowrap rounded-md border px-1.5 py-0.5 text-xs font-medium [&_svg]:size-3',
  {
    variants: {
      tone: {
        neutral: 'bg-muted text-muted-foreground border-transparent',
        ok: 'bg-ok/12 text-ok border-ok/25',
        warn: 'bg-warn/15 text-warn border-warn/30',
        bad: 'bg-bad/12 text-bad border-bad/30',
        info: 'bg-info/12 text-info border-info/25',
        outline: 'bg-transparent',
      },
    },
    defaultVariants: { tone: 'neutral' },
  },
);

export function Badge({
  className,
  tone,
  ...props
}: ComponentProps<'span'> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}

/** A label shown as key=value in monospace, the way selectors spell it. */
export function LabelChip({ k, v }: { k: string; v: string }) {
  return (
    <span className="inline-flex items-center rounded border bg-muted/60 px-1 font-mono text-[11px] leading-5 text-muted-foreground">
      {v === '' ? k : `${k}=${v}`}
    </span>
  );
}
