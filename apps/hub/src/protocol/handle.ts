import type { Ack, AckFn, ErrorCode } from '@serfbort/core';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { isStorageUnavailable, STORAGE_UNAVAILABLE_MESSAGE } from '../db/storage-errors.js';
import { errorAck, HubError } from '../errors.js';
import type { HubContext } from '../hub-context.js';

/** The data type an event's acknowledgement carries, read from the contract's event map. */
export type AckDataOf<F> = F extends (...args: infer A) => void
  ? A extends [...unknown[], AckFn<infer T>]
    ? T
    : never
  : never;

export type Guard = (socket: Socket) => { code: ErrorCode; message: string } | undefined;

/**
 * Registers one event: finds the acknowledgement (absent is fine), validates the
 * payload, checks the guard, and answers every failure with a code — the socket
 * stays connected and the hub never throws out of a listener.
 */
export function handle<Map, E extends keyof Map & string, S extends z.ZodType | null>(
  ctx: HubContext,
  socket: Socket,
  event: E,
  schema: S,
  guard: Guard | null,
  fn: (
    input: S extends z.ZodType ? z.output<S> : undefined,
    /** arguments after the first (before the callback), unvalidated: the handler's to check */
    more: readonly unknown[],
  ) => Promise<AckDataOf<Map[E]>>,
): void {
  socket.on(event as string, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const cb = typeof last === 'function' ? (args.pop() as (ack: Ack<unknown>) => void) : undefined;
    let answered = false;
    const answer = (ack: Ack<unknown>) => {
      if (answered || !cb) return;
      answered = true;
      try {
        cb(ack);
      } catch {
        // a client that vanished mid-ack is not our failure
      }
    };
    const refused = (code: ErrorCode, message: string) => {
      ctx.metrics.refused.inc({ code, event });
      ctx.log.debug({ event, code, message }, 'refused');
      answer(errorAck(code, message));
    };
    const denied = guard?.(socket);
    if (denied) return refused(denied.code, denied.message);
    let input: unknown;
    if (schema) {
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refused(
          'BAD_REQUEST',
          `${event}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      input = parsed.data;
    }
    const work = fn(input as never, args.slice(1)).then(
      (data) => answer({ ok: true, data }),
      (error: unknown) => {
        if (error instanceof HubError) return refused(error.code, error.message);
        if (isStorageUnavailable(error)) {
          ctx.log.warn({ event, err: String(error) }, 'storage unavailable');
          return refused('STORAGE_UNAVAILABLE', STORAGE_UNAVAILABLE_MESSAGE);
        }
        ctx.log.error(
          {
            event,
            err:
              error instanceof Error
                ? { message: error.message, stack: error.stack }
                : String(error),
          },
          'handler failed',
        );
        refused('INTERNAL', 'the hub could not complete this request');
      },
    );
    ctx.track(work);
  });
}

/** `handle` bound to one socket and its namespace's event map: what each handler module registers with. */
export function handlerFor<Map>(ctx: HubContext, socket: Socket) {
  return <E extends keyof Map & string, S extends z.ZodType | null>(
    event: E,
    schema: S,
    guard: Guard | null,
    fn: Parameters<typeof handle<Map, E, S>>[5],
  ) => handle<Map, E, S>(ctx, socket, event, schema, guard, fn);
}
