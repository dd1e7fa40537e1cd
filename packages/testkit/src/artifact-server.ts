import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArtifactRef } from '@serfbort/core';

/** A static file server on 127.0.0.1 that logs every request: the artifact store of these tests. */
export interface ArtifactServer {
  url: string;
  files: Map<string, Buffer>;
  /** paths that answer headers, then never finish the body */
  stalls: Set<string>;
  log: string[];
  close(): Promise<void>;
}

export async function startArtifactServer(): Promise<ArtifactServer> {
  const files = new Map<string, Buffer>();
  const stalls = new Set<string>();
  const log: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    log.push(`${req.method} ${path}`);
    if (stalls.has(path)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(10));
      return;
    }
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    files,
    stalls,
    log,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function refOf(bytes: Buffer, extra: Partial<ArtifactRef> = {}): ArtifactRef {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, ...extra };
}
