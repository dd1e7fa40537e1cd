import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A Socket.IO packet as it crosses the wire: EVENT (2) or ACK (3) with a JSON array. */
export interface Packet {
  kind: 'event' | 'ack';
  namespace: string;
  data: unknown[];
}

// engine.io "4" (message) + socket.io type, optional "/nsp,", optional ack id, JSON body
const FRAME = /^4([23])(\/[^,[]*,)?(\d*)(\[.*)$/s;

/**
 * A man in the middle between clients and a real hub: it forwards every WebSocket frame,
 * and lets a test rewrite the hub's events and acknowledgements on their way to the client,
 * or drop them.
 */
export async function startTamperProxy(upstream: string, rewrite: (p: Packet) => unknown[] | null) {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  const upstreamWs = upstream.replace(/^http/, 'ws');
  let tampered = 0;

  wss.on('connection', (client, req) => {
    const server = new WebSocket(`${upstreamWs}${req.url ?? '/'}`);
    const pending: (string | Buffer)[] = [];
    server.on('open', () => {
      for (const m of pending.splice(0)) server.send(m);
    });
    client.on('message', (data, isBinary) => {
      const m = isBinary ? (data as Buffer) : data.toString();
      if (server.readyState === WebSocket.OPEN) server.send(m);
      else pending.push(m);
    });
    server.on('message', (data, isBinary) => {
      if (isBinary) return client.send(data);
      const text = data.toString();
      const m = FRAME.exec(text);
      if (!m) return client.send(text);
      const [, type, nsp = '', ackId, body] = m;
      const packet: Packet = {
        kind: type === '2' ? 'event' : 'ack',
        namespace: nsp.slice(0, -1) || '/',
        data: JSON.parse(body!) as unknown[],
      };
      const out = rewrite(packet);
      // null: the hub's frame never reaches the client (an answer withheld until it times out)
      if (out === null) {
        tampered++;
        return;
      }
      if (JSON.stringify(out) !== body) tampered++;
      client.send(`4${type}${nsp}${ackId}${JSON.stringify(out)}`);
    });
    const closeBoth = () => {
      client.close();
      server.close();
    };
    client.on('close', closeBoth);
    server.on('close', closeBoth);
    server.on('error', closeBoth);
    client.on('error', closeBoth);
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    get tampered() {
      return tampered;
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => http.close(() => resolve())));
    },
  };
}
