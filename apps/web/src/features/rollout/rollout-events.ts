import type { RolloutEvent } from '@serfbort/client';
import { formatDuration, plural } from '@serfbort/client';

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
      const step = e.rollout.steps[e.step.index];
      // a rollback spends no failure budget: it puts back every host it can
      if (step?.kind === 'rollback')
        return `step ${e.step.index + 1}/${n}: ${ok} of ${e.results.length} back on ${step.version ?? '∅'} (verified); a rollback has no failure budget`;
      return `step ${e.step.index + 1}/${n}: ${ok} of ${e.results.length} succeeded (verified); ${plural(e.failures, 'failure')} of a budget of ${e.rollout.budget}`;
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
