import type { RolloutEvent } from '@serfbort/client';
import { formatDuration } from '@serfbort/client';

/** One line per driver event, for the rollout's log in this browser. */
export function describeEvent(e: RolloutEvent): string {
  const n = e.rollout.steps.length;
  switch (e.type) {
    case 'step-released':
      return `step ${e.step.index + 1}/${n} signed and released to ${e.step.hosts.join(', ')}`;
    case 'step-resumed':
      return `step ${e.step.index + 1}/${n} was released before; judging its receipts`;
    case 'step-done': {
      const ok = e.results.filter((r) => r.result === 'succeeded').length;
      return `step ${e.step.index + 1}/${n}: ${ok} of ${e.results.length} succeeded (verified); ${e.failures} failure(s) of a budget of ${e.rollout.budget}`;
    }
    case 'waiting':
      return `waiting ${formatDuration(e.ms)} before the next step`;
    case 'paused':
      return 'paused; the next step waits';
    case 'stopped':
      return `stopped: ${e.status}${e.reason ? ` (${e.reason})` : ''}`;
    case 'rollback-skipped':
      return `not rolled back: ${e.host} (${e.why})`;
  }
}
