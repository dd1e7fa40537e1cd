import type { Server as HttpServer } from 'node:http';
import { AGENT_NAMESPACE, OPERATOR_NAMESPACE } from '@serfbort/core';
import { Server } from 'socket.io';
import type { HubConfig } from '../config/config.js';
import type {
  AgentNamespace,
  AgentSocketData,
  HubContext,
  OperatorNamespace,
  OperatorSocketData,
} from '../hub-context.js';
import { registerAgentHandlers } from './agent-handlers.js';
import { AGENT_EVENTS, OPERATOR_EVENTS } from './events.js';
import { guardNamespace } from './guard-socket.js';
import { registerOperatorHandlers } from './operator-handlers.js';

/** Socket.IO on the hub's HTTP server: websocket only, bounded messages and timeouts. */
export function createSocketServer(httpServer: HttpServer, config: HubConfig): Server {
  return new Server(httpServer, {
    serveClient: false,
    transports: ['websocket'],
    maxHttpBufferSize: config.maxMessageBytes,
    connectTimeout: 5_000,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    cors: { origin: config.origins, credentials: false },
    // browsers always send Origin: only the dashboard's may open a socket; CLI and agents send none
    allowRequest: (req, cb) => {
      const origin = req.headers.origin;
      cb(null, origin === undefined || config.origins.includes(origin));
    },
  });
}

export const agentNamespace = (io: Server) => io.of(AGENT_NAMESPACE) as unknown as AgentNamespace;
export const operatorNamespace = (io: Server) =>
  io.of(OPERATOR_NAMESPACE) as unknown as OperatorNamespace;

/** Both namespaces: every socket passes the guard before any handler sees its events. */
export function serveNamespaces(ctx: HubContext, io: Server): void {
  guardNamespace(ctx, io.of(AGENT_NAMESPACE), {
    namespace: 'agent',
    known: AGENT_EVENTS,
    authenticated: (s) => (s.data as AgentSocketData).status === 'approved',
    keyOf: (s) => (s.data as AgentSocketData).keyId,
  });
  guardNamespace(ctx, io.of(OPERATOR_NAMESPACE), {
    namespace: 'operator',
    known: OPERATOR_EVENTS,
    authenticated: (s) => (s.data as OperatorSocketData).role !== undefined,
    keyOf: (s) => (s.data as OperatorSocketData).keyId,
  });
  registerAgentHandlers(ctx);
  registerOperatorHandlers(ctx);
}
