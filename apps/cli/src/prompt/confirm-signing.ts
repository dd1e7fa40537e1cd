import type { Ctx } from '../context.js';
import { usageError } from '../errors.js';
import { confirm } from './tty-input.js';

/**
 * The last step before a signature: a person says yes, or --yes says they reviewed it.
 * Without a terminal and without --yes nothing is signed (a CI job must opt in explicitly).
 */
export async function confirmSigning(
  ctx: Ctx,
  question: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  if (!ctx.config.interactive) {
    throw usageError(
      'CONFIRMATION_REQUIRED',
      'nothing signed: no terminal to confirm on; pass --yes to sign without asking',
    );
  }
  if (!(await confirm(question))) throw usageError('CANCELLED', 'nothing signed');
}
