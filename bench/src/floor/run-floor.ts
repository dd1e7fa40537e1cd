import { io } from 'socket.io-client';
import { forkWorker, stopChild } from '../common/children.js';
import { cpuMs, rssBytes } from '../common/proc-stats.js';
import { sampleDeployEnvelope } from '../common/sample-envelope.js';
import { type Summary, summarize } from '../common/stats.js';
import { nextMessage, withTimeout } from '../common/wait.js';
import { connectWindowMs, modulePath, shareOut, startWorkers } from '../common/workers.js';

/** `bare`: a tiny ack only; `crypto`: each client verifies one signature and signs one receipt first. */
export type FloorMode = 'bare' | 'crypto';

export interface FloorResult {
  n: number;
  mode: FloorMode;
  messageBytes: number;
  /** broadcast → every client's ack back at the server, seen by a control client */
  fanoutMs: Summary;
  /** first connect started → last connected, across the worker processes */
  connectMs: number;
  connectionsPerSecond: number;
  serverCpuMsPerFanout: number;
  rssPerConnectionBytes: number;
}

const isListening = (m: unknown): m is { type: 'listening'; port: number } =>
  (m as { type?: string })?.type === 'listening';

/** Bare Socket.IO: the same N, the same message, a tiny ack back; no database, and crypto only in `crypto` mode. */
export async function runFloor(
  n: number,
  rounds: number,
  maxWorkers: number,
  mode: FloorMode = 'bare',
): Promise<FloorResult> {
  const server = forkWorker(modulePath('floor/floor-server.ts'), []);
  try {
    const { port } = await nextMessage(server, isListening, 20_000, 'floor server');
    const url = `http://127.0.0.1:${port}`;
    const pid = server.pid!;
    const rssBefore = rssBytes(pid);
    const { pool, ready } = await startWorkers(
      'floor/floor-client-worker.ts',
      shareOut(n, maxWorkers),
      (share) => [url, String(share), mode],
      30_000 + n * 10,
    );
    const connectMs = connectWindowMs(ready);
    try {
      const control = io(`${url}/control`, { transports: ['websocket'], forceNew: true });
      await withTimeout(
        new Promise<void>((r) => control.once('connect', () => r())),
        10_000,
        'floor control',
      );
      const rssAfter = rssBytes(pid);
      const envelope = sampleDeployEnvelope();
      const times: number[] = [];
      // one warm-up round so JIT and buffers settle, as in every other measurement
      const fanout = () =>
        withTimeout(
          new Promise<{ ms: number; clients: number }>((r) => control.emit('fanout', envelope, r)),
          30_000,
          'floor fan-out',
        );
      await fanout();
      const cpuStart = cpuMs(pid);
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        const r = await fanout();
        if (r.clients !== n) throw new Error(`floor: ${r.clients} of ${n} clients connected`);
        times.push(performance.now() - t0);
      }
      const cpuPerFanout = (cpuMs(pid) - cpuStart) / rounds;
      control.close();
      return {
        n,
        mode,
        messageBytes: JSON.stringify(envelope).length,
        fanoutMs: summarize(times),
        connectMs,
        connectionsPerSecond: n / (connectMs / 1000),
        serverCpuMsPerFanout: cpuPerFanout,
        rssPerConnectionBytes: (rssAfter - rssBefore) / n,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await stopChild(server);
  }
}
