import { cva, type VariantProps } from 'class-variance-authority';
import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';

const alertVariants = cva(
  'flex items-start gap-3 rounded-lg border px-3.5 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0',
  {
    variants: {
      tone: {
        info: 'border-info/30 bg-info/8 [&>svg]:text-info',
        warn: 'border-warn/40 bg-warn/10 [&>svg]:text-warn',
        bad: 'border-bad/40 bg-bad/10 [&>svg]:text-bad',
        ok: 'border-ok/30 bg-ok/8 [&>svg]:text-ok',
      },
    },
    defaultVariants: { tone: 'info' },
  },
);

export function Alert({
  tone,
  icon,
  title,
  children,
  action,
  className,
  ...rest
}: VariantProps<typeof alertVariants> & {
  icon?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
  'data-testid'?: string;
}) {
  return (
    <div role="status" className={cn(alertVariants({ tone }), className)} {...rest}>
      {icon}
      <div className="min-w-0 flex-1">
        <p className="font-medium">{title}</p>
        {children ? (
          <div className="mt-0.5 text-[13px] text-muted-foreground">{children}</div>
        ) : null}
      </div>
      {action ? <div className="shrink-0">{action}</div> : null}
    </div>
  );
}
