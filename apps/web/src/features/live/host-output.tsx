import type { OutputLine } from '@serfbort/core';
import { useMemo, useRef } from 'react';

export function HostOutput({ lines: unordered }: { lines: OutputLine[] }) {
  const ref = useRef<HTMLPreElement>(null);
  // stdout and stderr arrive in separate batches: show them in the order they were written
  const lines = useMemo(() => [...unordered].sort((a, b) => a.at - b.at), [unordered]);
  return (
    <pre
      ref={ref}
      className="max-h-72 overflow-auto bg-neutral-950 px-4 py-2 font-mono text-[12px] leading-5 text-neutral-200"
      data-testid="host-output"
    >
      {lines.length === 0 ? <span className="text-neutral-500">no output yet</span> : null}
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are append-only
        <div key={i} className={l.stream === 'stderr' ? 'text-red-300' : undefined}>
          {l.text}
        </div>
      ))}
    </pre>
  );
}
