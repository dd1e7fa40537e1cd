import type {
  Envelope,
  ReceiptHead,
  ReceiptHeadStatement,
  Signer,
  TrustReport,
  TrustState,
} from '@serfbort/core';
import { currentPayloadType, signPayload } from '@serfbort/core';

/**
 * The agent's signed word on the trust it holds, for operators' trust views: a hub that
 * keeps this host on an older keyring cannot make the report say otherwise.
 */
export function signTrustReport(
  host: string,
  state: TrustState | null,
  signer: Signer,
  now: number,
): Envelope | undefined {
  if (!state) return undefined;
  const report: TrustReport = {
    type: 'trust-report',
    host,
    root: state.root.root.version,
    rootDigest: state.root.digest,
    keyring: state.keyring?.keyring.version ?? null,
    at: now,
  };
  return signPayload(currentPayloadType('trustReport'), report, [signer]);
}

/**
 * The agent's signed word on its newest receipt, so clients can tell a hub that hides
 * receipts signed since the last hello; `at` lets them tell a stale statement too.
 */
export function signReceiptHead(
  host: string,
  head: ReceiptHead,
  signer: Signer,
  now: number,
): Envelope {
  const statement: ReceiptHeadStatement = { type: 'receipt-head', host, ...head, at: now };
  return signPayload(currentPayloadType('receiptHead'), statement, [signer]);
}
