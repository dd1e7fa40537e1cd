import type { ChildProcess } from 'node:child_process';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rejects with a message naming what we waited for, so no wait is unbounded. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The first IPC message from a child that satisfies `accept`; fails if the child exits first. */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (m: unknown) => m is T,
  ms: number,
  what: string,
): Promise<T> {
  return withTimeout(
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if (!accept(m)) return;
        cleanup();
        resolve(m);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${what}: process exited (${code}) first`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    }),
    ms,
    what,
  );
}

/** Polls `check` every `everyMs` until it returns true or `ms` passes. */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** A wall-clock time in ms with sub-ms resolution, comparable across processes. */
export const epochMs = (): number => performance.timeOrigin + performance.now();
