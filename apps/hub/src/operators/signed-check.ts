import type { Envelope } from '@serfbort/core';
import { checkRequestPayload, openEnvelope, PAYLOAD_TYPES, sha256Hex } from '@serfbort/core';
import { HubError } from '../errors.js';

/** What the hub needs of an operator's check request to match the answers to it. */
export interface SignedCheck {
  envelope: Envelope;
  requestDigest: string;
  nonce: string;
}

/**
 * The hub only relays a check request and matches answers to its digest; it does not
 * judge the signature (each agent does, against its own keyring). A request for another
 * app than the query names is refused, so the hosts asked are the hosts the request asks.
 */
export function readSignedCheck(envelope: Envelope, app: string): SignedCheck {
  const opened = openEnvelope(envelope, PAYLOAD_TYPES.checkRequest);
  if (!opened.ok) throw new HubError('BAD_REQUEST', `check request: ${opened.reason}`);
  const parsed = checkRequestPayload.safeParse(opened.value.payload);
  if (!parsed.success) throw new HubError('BAD_REQUEST', 'check request: MALFORMED');
  if (parsed.data.app !== app)
    throw new HubError('BAD_REQUEST', `check request is for ${parsed.data.app}, not ${app}`);
  return {
    envelope: opened.value.envelope,
    requestDigest: sha256Hex(opened.value.payloadBytes),
    nonce: parsed.data.nonce,
  };
}
