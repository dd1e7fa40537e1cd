'use client';
import { type ParseResult, parseSelector } from '@serfbort/core';
import { FilterIcon } from 'lucide-react';
import { useMemo } from 'react';
import { cn } from '@/lib/utils';
import { fieldClass } from '../ui/input';

/** Parses with core's parser (the same one hub and agents use); empty text means "no selector". */
export function useParsedSelector(text: string): ParseResult | null {
  return useMemo(() => (text.trim() === '' ? null : parseSelector(text)), [text]);
}

/** A selector field that shows core's parse error with a caret under the position. */
export function SelectorInput({
  value,
  onChange,
  result,
  id,
  placeholder = 'role=web, env in (prod,stage), !canary',
  className,
}: {
  value: string;
  onChange: (v: string) => void;
  result: ParseResult | null;
  id?: string;
  placeholder?: string;
  className?: string;
}) {
  const error = result && !result.ok ? result.error : null;
  return (
    <div className={cn('grid gap-1', className)}>
      <div className="relative">
        <FilterIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground" />
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-label="Label selector"
          aria-invalid={error ? true : undefined}
          data-testid="selector-input"
          className={cn(fieldClass, 'pl-8 font-mono text-[13px]')}
        />
      </div>
      {error ? (
        <div
          className="rounded-md border border-bad/30 bg-bad/5 px-2.5 py-1.5 font-mono text-xs"
          data-testid="selector-error"
        >
          <div className="whitespace-pre text-foreground">{value}</div>
          <div className="whitespace-pre text-bad">{`${' '.repeat(Math.min(error.position, value.length))}^ expected ${error.expected}, found ${error.found} (at ${error.position})`}</div>
        </div>
      ) : null}
    </div>
  );
}
