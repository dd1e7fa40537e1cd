/**
 * The floor: a bare Socket.IO fan-out with no crypto and no database. Runs as
 * its own process so that its CPU and RSS can be read from /proc like the hub's.
 * Control (from the harness) on /control: `fanout` broadcasts one message to
 * every client on `/` and answers once every client has sent its tiny ack back.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { exitWithParent } from '../common/children.js';

exitWithParent();

const httpServer = createServer();
const io = new Server(httpServer, {
  serveClient: false,
  transports: ['websocket'],
  maxHttpBufferSize: 1e6,
});

let round = 0;
let pending = 0;
let finish: (() => void) | undefined;

io.on('connection', (socket) => {
  socket.on('ack', (r: number) => {
    if (r !== round || pending === 0) return;
    pending--;
    if (pending === 0) finish?.();
  });
});

io.of('/control').on('connection', (control) => {
  control.on('count', (cb: (n: number) => void) => cb(io.of('/').sockets.size));
  control.on('fanout', (message: unknown, cb: (r: { ms: number; clients: number }) => void) => {
    round++;
    const clients = io.of('/').sockets.size;
    pending = clients;
    const start = performance.now();
    finish = () => cb({ ms: performance.now() - start, clients });
    io.emit('deploy:request', message, round);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'listening', port });
});
