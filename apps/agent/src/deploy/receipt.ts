import type { AnyReceipt, Envelope, Signer } from '@serfbort/core';
import {
  LIMITS,
  PAYLOAD_TYPES,
  RECEIPT_V2_TYPE,
  receipt,
  receiptV2,
  signPayload,
} from '@serfbort/core';
import { cut } from '../runner/line-splitter.js';

/** Signs a receipt after checking it against the schema: the agent never signs a malformed answer. */
export function signReceipt(
  fields: Omit<AnyReceipt, 'type'>,
  signer: Signer,
): { envelope: Envelope; receipt: AnyReceipt } {
  const body: AnyReceipt = {
    type: 'receipt',
    ...fields,
    ...(fields.detail !== undefined
      ? { detail: cut(fields.detail, LIMITS.receiptDetailBytes - 16) }
      : {}),
  };
  // only an answer about an artifact is v2: every other receipt stays v1, byte for byte
  if (body.artifact !== undefined) {
    const checked = receiptV2.parse(body);
    return { envelope: signPayload(RECEIPT_V2_TYPE, checked, [signer]), receipt: checked };
  }
  const checked = receipt.parse(body);
  return { envelope: signPayload(PAYLOAD_TYPES.receipt, checked, [signer]), receipt: checked };
}
