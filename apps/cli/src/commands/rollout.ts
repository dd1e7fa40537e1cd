import type { Command } from '@commander-js/extra-typings';
import { examples } from './context.js';
import { registerLock } from './lock.js';
import { registerRollback } from './rollback.js';
import {
  registerRolloutAbort,
  registerRolloutPause,
  registerRolloutResume,
} from './rollout-control.js';
import { registerRolloutList, registerRolloutShow } from './rollout-views.js';

/** `rollout …` (see and steer rollouts), `rollback` and `lock …`; a rollout starts with `deploy`. */
export function registerRollout(program: Command): void {
  const rollout = program
    .command('rollout')
    .description('rollouts: canary first, batches, failure budget, halt or roll back');
  registerRolloutList(rollout);
  registerRolloutShow(rollout);
  registerRolloutResume(rollout);
  registerRolloutPause(rollout);
  registerRolloutAbort(rollout);
  examples(rollout, [
    'serfbort deploy shop v2 -l role=web --canary canary --batch 25% --wait 30s --max-failures 1 --on-failure rollback',
    'serfbort rollout list --app shop',
    'serfbort rollout show 3Jx0…',
    'serfbort rollout resume 3Jx0…',
    'serfbort rollout abort 3Jx0…',
  ]);
  registerRollback(program);
  registerLock(program);
}
