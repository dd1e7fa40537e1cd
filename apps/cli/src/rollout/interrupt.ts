import type { RolloutView } from '@serfbort/core';
import type { Ctx } from '../context.js';
import type { CliRolloutIO } from './cli-io.js';

/** What is still there after the driver stopped, and the exact commands to go on. */
function whatIsLeft(view: RolloutView): string {
  return [
    `${view.kind} ${view.id} of ${view.app} is paused: steps already released finish on their hosts, no new step is released; it keeps ${view.app}'s lock, so nobody deploys over it`,
    `  watch it:     serfbort rollout show ${view.id}`,
    `  continue it:  serfbort rollout resume ${view.id}`,
    `  stop it:      serfbort rollout abort ${view.id}   (releases the lock)`,
  ].join('\n');
}

/**
 * Ctrl-C while a rollout is driven: pause it (the hub records why), say what is left and
 * how to go on, exit 130. A second Ctrl-C quits at once. Returns the handler's remover.
 */
export function pauseOnInterrupt(ctx: Ctx, io: CliRolloutIO, view: RolloutView): () => void {
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) process.exit(130);
    ctx.out.note(`\ninterrupted: pausing ${view.kind} ${view.id}… (Ctrl-C again quits at once)`);
    io.pause(view.id, 'interrupted at the driving terminal (Ctrl-C)').then(
      () => {
        ctx.out.note(whatIsLeft(view));
        process.exit(130);
      },
      (e: unknown) => {
        ctx.out.warn(`could not pause it (${e instanceof Error ? e.message : String(e)})`);
        ctx.out.note(whatIsLeft(view).replace(' is paused', ' may still be running'));
        process.exit(130);
      },
    );
  };
  process.on('SIGINT', onInterrupt);
  return () => process.off('SIGINT', onInterrupt);
}
