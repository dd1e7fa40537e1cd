import { utf8Encode } from '../encoding.js';

/**
 * DSSE pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body.
 * Signing this (not the bare payload) binds the payload type, so a receipt can
 * never pass as a deploy request.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8Encode(payloadType);
  const head = utf8Encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}
