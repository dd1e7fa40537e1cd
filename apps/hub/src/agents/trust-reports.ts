import type { Envelope, Verifier } from '@serfbort/core';
import { tryFromBase64, verifyTrustReport } from '@serfbort/core';
import { HubError } from '../errors.js';
import type { TrustReportStore } from '../hub-services.js';

/**
 * Each connected host's latest signed trust report, kept by the node it talks to and
 * relayed in host views as it was signed: clients verify it with the host's approved key.
 */
export class TrustReports implements TrustReportStore {
  private readonly byHost = new Map<string, { keyId: string; envelope: Envelope }>();

  get(host: string, keyId: string): Envelope | undefined {
    const held = this.byHost.get(host);
    return held?.keyId === keyId ? held.envelope : undefined;
  }

  /** Stores a report signed by the host's approved key; refuses anything else. */
  accept(host: string, keyId: string, publicKey: string, input: unknown, verifier: Verifier): void {
    const key = tryFromBase64(publicKey);
    const v = key ? verifyTrustReport(input, host, key, verifier) : undefined;
    if (!v?.ok)
      throw new HubError('BAD_REQUEST', `trust report: ${v?.detail ?? 'no approved key'}`);
    this.byHost.set(host, { keyId, envelope: input as Envelope });
  }
}
