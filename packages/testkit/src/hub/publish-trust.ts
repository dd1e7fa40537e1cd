import type { Envelope } from '@serfbort/core';
import { OPERATOR_NAMESPACE } from '@serfbort/core';
import { call, connectSocket, expectOk } from './clients.js';

/** Publishes a root (and keyring) over the wire: trust documents verify themselves, no login. */
export async function publishTrust(
  url: string,
  trust: { root: { envelope: Envelope }; keyring?: { envelope: Envelope } },
): Promise<void> {
  const socket = await connectSocket(url, OPERATOR_NAMESPACE);
  try {
    expectOk(await call(socket, 'trust:publish', { kind: 'root', envelope: trust.root.envelope }));
    if (trust.keyring)
      expectOk(
        await call(socket, 'trust:publish', { kind: 'keyring', envelope: trust.keyring.envelope }),
      );
  } finally {
    socket.disconnect();
  }
}
