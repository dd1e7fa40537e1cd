import type { Ack, ErrorCode } from '@serfbort/core';

/** A refusal with a stable code; the message is for people, never a stack trace. */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export const refuse = (code: ErrorCode, message: string): never => {
  throw new HubError(code, message);
};

export const okAck = <T>(data: T): Ack<T> => ({ ok: true, data });
export const errorAck = (code: ErrorCode, message: string): Ack<never> => ({
  ok: false,
  error: { code, message },
});
