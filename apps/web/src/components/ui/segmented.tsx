'use client';
import { cn } from '@/lib/utils';

/** Two or three mutually exclusive choices shown side by side (a radio group). */
export function Segmented<T extends string>({
  value,
  onChange,
  options,
  label,
}: {
  value: T;
  onChange: (v: T) => void;
  options: { value: T; label: string }[];
  label: string;
}) {
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className="inline-flex rounded-md border bg-muted p-0.5"
    >
      {options.map((o) => (
        // biome-ignore lint/a11y/useSemanticElements: a styled radio, with role and aria-checked
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          onClick={() => onChange(o.value)}
          className={cn(
            'rounded px-3 py-1 text-[13px] font-medium text-muted-foreground transition-colors',
            value === o.value && 'bg-card text-foreground shadow-xs',
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
