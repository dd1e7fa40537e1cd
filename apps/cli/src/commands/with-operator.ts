import { operatorSession, readerSession } from '../hub/operator-session.js';
import type { HubSession } from '../hub/session.js';
import type { Ctx } from './context.js';

export type OperatorSession = Awaited<ReturnType<typeof operatorSession>>;

/** Runs `work` logged in as the operator; the hub connection closes however it ends. */
export async function withOperator<T>(
  ctx: Ctx,
  work: (session: OperatorSession) => Promise<T>,
): Promise<T> {
  const session = await operatorSession(ctx);
  try {
    return await work(session);
  } finally {
    session.hub.close();
  }
}

/** Runs `work` logged in as a viewer (a token, no key) or, without a token, as the operator. */
export async function withReader<T>(
  ctx: Ctx,
  work: (session: { hub: HubSession }) => Promise<T>,
): Promise<T> {
  const session = await readerSession(ctx);
  try {
    return await work(session);
  } finally {
    session.hub.close();
  }
}
