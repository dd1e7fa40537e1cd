import { spawnTracked, stopChild } from '../common/children.js';
import { withTimeout } from '../common/wait.js';

export interface SerfQueryTiming {
  /** spawn of `serf query` → the last expected response line */
  totalMs: number;
  /** "Query ... dispatched" line → the last expected response line */
  afterDispatchMs: number;
  responses: number;
}

/**
 * Times one `serf query version` until `expected` responses have been printed.
 * serf query only exits at its timeout, so we stop it once the last line is in.
 */
export async function timeSerfQuery(
  rpcAddr: string,
  expected: number,
  limitMs: number,
): Promise<SerfQueryTiming> {
  const start = performance.now();
  const child = spawnTracked(
    'serf',
    ['query', `-rpc-addr=${rpcAddr}`, `-timeout=${Math.ceil(limitMs / 1000)}s`, 'version'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const responders = new Set<string>();
  let dispatchedAt = Number.NaN;
  let buffered = '';
  try {
    return await withTimeout(
      new Promise<SerfQueryTiming>((resolve, reject) => {
        child.stdout!.setEncoding('utf8');
        child.stdout!.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            if (line.includes('dispatched')) dispatchedAt = performance.now();
            const match = /^Response from '([^']+)'/.exec(line);
            if (match) responders.add(match[1]!);
          }
          if (responders.size >= expected) {
            const now = performance.now();
            resolve({
              totalMs: now - start,
              afterDispatchMs: now - dispatchedAt,
              responses: responders.size,
            });
          }
        });
        child.once('exit', () =>
          reject(new Error(`serf query ended with ${responders.size} of ${expected} responses`)),
        );
      }),
      limitMs + 2000,
      `serf query (${responders.size} of ${expected} responses)`,
    );
  } finally {
    await stopChild(child, 1000);
  }
}
