/**
 * One of a few load-generator processes: holds `count` bare Socket.IO clients
 * and answers each broadcast with a tiny ack. In `crypto` mode each client first
 * does an agent's per-request cryptography (verify one signature, sign a receipt)
 * and does not ack a request whose signature fails.
 */
import type { Envelope } from '@serfbort/core';
import { io, type Socket } from 'socket.io-client';
import { exitWithParent } from '../common/children.js';
import { connectAll } from '../common/connect-pool.js';
import { epochMs } from '../common/wait.js';
import { agentCrypto } from './agent-crypto.js';

exitWithParent();

const [url, countText, mode] = process.argv.slice(2);
const withCrypto = mode === 'crypto';
const count = Number(countText);
const sockets: Socket[] = [];

async function main(): Promise<void> {
  const connectStart = epochMs();
  await connectAll(count, 64, async () => {
    const socket = io(url!, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('deploy:request', (message: Envelope, round: number) => {
      if (withCrypto && !agentCrypto(message, round)) return;
      socket.emit('ack', round);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    sockets.push(socket);
  });
  process.send?.({ type: 'ready', connected: sockets.length, connectStart, connectEnd: epochMs() });
}

process.on('message', (m: { type?: string }) => {
  if (m.type === 'close') {
    for (const s of sockets) s.close();
    process.exit(0);
  }
});

main().catch((error: Error) => {
  process.send?.({ type: 'failed', message: error.message });
  process.exit(1);
});
