import type { EnvelopeRefusal, OpenedPayload, Result } from '../envelope/verify.js';
import { openPayload } from '../envelope/verify.js';
import { receipt } from '../schemas/deploy.js';
import { receiptV2 } from '../schemas/receipt-chain.js';
import type { AnyReceipt } from './verify-receipt.js';

/**
 * A receipt envelope of any spoken version, opened and read by its version's strict
 * schema, before anyone checks who signed it (the hub, on its way in).
 */
export function openReceipt(
  input: unknown,
): Result<{ opened: OpenedPayload; receipt: AnyReceipt }, EnvelopeRefusal> {
  const opened = openPayload(input, 'receipt');
  if (!opened.ok) return opened;
  const schema = opened.value.version === 1 ? receipt : receiptV2;
  const parsed = schema.safeParse(opened.value.payload);
  if (!parsed.success) return { ok: false, reason: 'MALFORMED', detail: 'receipt: MALFORMED' };
  return { ok: true, value: { opened: opened.value, receipt: parsed.data } };
}
