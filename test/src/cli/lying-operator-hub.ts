import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GENESIS_HASH, OPERATOR_NAMESPACE } from '@serfbort/core';
import { Server } from 'socket.io';

/** What the lying hub answers to one operator event: a whole acknowledgement, however wrong. */
export type Answer =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: string; message: string } };

/**
 * A hub on 127.0.0.1 that logs every operator in and answers each event with whatever the
 * test chose: escape sequences in views and refusals, data of the wrong shape. What the CLI
 * must show a person safely, or fail on with its own exit code.
 */
export async function startLyingOperatorHub(answers: Record<string, Answer>) {
  // every session asks for the audit head first; an empty chain unless the test lies about it
  answers['audit:head'] ??= { ok: true, data: { seq: 0, hash: GENESIS_HASH } };
  // no trust to verify hosts with: `list` says it compared no receipt heads, and goes on
  answers['trust:get'] ??= { ok: false, error: { code: 'NOT_FOUND', message: 'no trust here' } };
  const http = createServer();
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  io.of(OPERATOR_NAMESPACE).on('connection', (socket) => {
    socket.on('auth:challenge', (cb: (a: Answer) => void) =>
      cb({ ok: true, data: { nonce: 'n'.repeat(22), hubId: 'lying', serverTime: Date.now() } }),
    );
    socket.on('auth:hello', (_env: unknown, cb: (a: Answer) => void) =>
      cb({ ok: true, data: { role: 'operator', name: 'alice' } }),
    );
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      const answer = answers[event];
      if (typeof ack === 'function' && answer) (ack as (a: Answer) => void)(answer);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
