import type { Envelope, ReceiptV2, Signer } from '@serfbort/core';
import { LIMITS, RECEIPT_V2_TYPE, receiptV2, sha256Hex, signPayload } from '@serfbort/core';
import { cut } from '../runner/line-splitter.js';
import type { ReceiptChain } from '../state/receipt-chain.js';

/**
 * Signs a receipt after checking it against the schema (the agent never signs a malformed
 * answer), as the next link of this host's receipt chain.
 */
export function signReceipt(
  fields: Omit<ReceiptV2, 'type' | 'seq' | 'prev'>,
  signer: Signer,
  chain: ReceiptChain,
): { envelope: Envelope; receipt: ReceiptV2 } {
  const body: ReceiptV2 = {
    type: 'receipt',
    ...fields,
    ...(fields.detail !== undefined
      ? { detail: cut(fields.detail, LIMITS.receiptDetailBytes - 16) }
      : {}),
    ...chain.next(),
  };
  const checked = receiptV2.parse(body);
  const envelope = signPayload(RECEIPT_V2_TYPE, checked, [signer]);
  chain.advance(checked.seq, sha256Hex(Buffer.from(envelope.payload, 'base64')));
  return { envelope, receipt: checked };
}
