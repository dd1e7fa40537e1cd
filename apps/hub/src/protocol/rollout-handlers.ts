import type { OperatorToHubEvents } from '@serfbort/core';
import {
  lockQuerySchema,
  rolloutControl,
  rolloutListQuerySchema,
  rolloutQuerySchema,
  rolloutResumeQuerySchema,
  rolloutStart,
  rooms,
} from '@serfbort/core';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { HubError } from '../errors.js';
import type { HubContext, OperatorSocketData } from '../hub-context.js';
import { releaseSignedLock } from '../rollouts/lock-release.js';
import { liveLock, lockView } from '../rollouts/locks.js';
import type { Operator } from '../rollouts/rollout-service.js';
import { controlRollout, resumeRollout, startRollout } from '../rollouts/rollout-service.js';
import { listRollouts, loadRollout } from '../rollouts/views.js';
import type { Guard } from './handle.js';
import { handlerFor } from './handle.js';

function operatorOf(socket: Socket): Operator {
  const d = socket.data as OperatorSocketData;
  return { keyId: d.keyId!, name: d.name ?? d.keyId! };
}

/** Rollouts and locks on the operator namespace; `reader`/`writer` are the same guards as the rest. */
export function registerRolloutHandlers(
  ctx: HubContext,
  socket: Socket,
  guards: { reader: Guard; writer: Guard },
): void {
  const on = handlerFor<OperatorToHubEvents>(ctx, socket);
  const { reader, writer } = guards;

  on('rollout:start', rolloutStart, writer, async (start) => {
    const view = await startRollout(ctx, start, operatorOf(socket));
    socket.join(rooms.rollout(view.id));
    return view;
  });
  on('rollout:resume', rolloutResumeQuerySchema, writer, async (q) => {
    const view = await resumeRollout(ctx, q, operatorOf(socket));
    socket.join(rooms.rollout(view.id));
    return view;
  });
  on('rollout:control', rolloutControl, writer, async (c) =>
    controlRollout(ctx, c, operatorOf(socket)),
  );
  on('rollout:watch', rolloutQuerySchema, reader, async (q) => {
    const view = await loadRollout(ctx.db, q.id, ctx.now());
    if (!view) throw new HubError('NOT_FOUND', `no rollout ${q.id}`);
    socket.join(rooms.rollout(q.id));
    return view;
  });
  on('rollout:list', rolloutListQuerySchema, reader, async (q) =>
    listRollouts(ctx.db, q, ctx.now()),
  );
  on('rollouts:subscribe', null, reader, async () => {
    socket.join(rooms.rollouts);
    return null;
  });
  on('lock:status', lockQuerySchema, reader, async (q) => {
    const lock = await liveLock(ctx.db, q.app, ctx.now());
    return lock ? lockView(lock) : null;
  });
  on('lock:release', z.unknown(), writer, async (envelope) => releaseSignedLock(ctx, envelope));
}
