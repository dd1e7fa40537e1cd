import type { Envelope, Receipt, Signer } from '@serfbort/core';
import { LIMITS, PAYLOAD_TYPES, receipt, signPayload } from '@serfbort/core';
import { cut } from '../runner/line-splitter.js';

/** Signs a receipt after checking it against the schema: the agent never signs a malformed answer. */
export function signReceipt(
  fields: Omit<Receipt, 'type'>,
  signer: Signer,
): { envelope: Envelope; receipt: Receipt } {
  const body: Receipt = {
    type: 'receipt',
    ...fields,
    ...(fields.detail !== undefined
      ? { detail: cut(fields.detail, LIMITS.receiptDetailBytes - 16) }
      : {}),
  };
  const checked = receipt.parse(body);
  return { envelope: signPayload(PAYLOAD_TYPES.receipt, checked, [signer]), receipt: checked };
}
