import type { OutputLine } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { describe, expect, it } from 'vitest';
import { OutputStream } from './output-stream.js';

describe('OutputStream', () => {
  it('sends at most LIMITS.outputLinesPerSecond lines a second and counts the rest', () => {
    let clock = 1_000_000;
    const batches: { lines: OutputLine[]; dropped: number }[] = [];
    const stream = new OutputStream(
      (lines, dropped) => batches.push({ lines, dropped }),
      60_000,
      () => clock,
    );
    for (let i = 0; i < 120; i++) stream.push('stdout', `line ${i}`);
    stream.flush();
    clock += 1000;
    stream.push('stderr', 'next second');
    stream.flush();
    expect(batches[0]!.lines).toHaveLength(LIMITS.outputLinesPerSecond);
    expect(batches[0]!.dropped).toBe(120 - LIMITS.outputLinesPerSecond);
    expect(batches[1]).toEqual({
      lines: [{ stream: 'stderr', text: 'next second', at: clock }],
      dropped: 0,
    });
  });
});
