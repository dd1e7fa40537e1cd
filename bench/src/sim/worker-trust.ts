import type { Envelope, TrustBundle, TrustState } from '@serfbort/core';
import { advanceRoot, trustBundleDigest, verifyInitialRoot, verifyKeyring } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';

/**
 * The trust the agents of one worker hold. Every agent gets the same bundle from the
 * hub, so it is verified once per distinct keyring (from the pinned root, as an agent
 * does) rather than thousands of times: trust checks are not what the bench measures.
 */
export class WorkerTrust {
  private state: TrustState | null = null;
  private keyringPayload: string | undefined;
  private rootCount = 0;
  /** trustBundleDigest of the bundle held: what an agent says in its hello */
  digest: string | undefined;

  constructor(private readonly pinnedRoot: Envelope) {}

  get current(): TrustState | null {
    return this.state;
  }

  accept(bundle: TrustBundle): void {
    if (
      !bundle.keyring ||
      (bundle.keyring.payload === this.keyringPayload && bundle.roots.length === this.rootCount)
    )
      return;
    const now = Date.now();
    const initial = verifyInitialRoot(this.pinnedRoot, nodeVerifier);
    if (!initial.ok) throw new Error(`pinned root: ${initial.reason}`);
    const root = advanceRoot(initial.value, bundle.roots, nodeVerifier);
    if (!root.ok) throw new Error(`root chain: ${root.reason}`);
    const keyring = verifyKeyring(root.value.root, bundle.keyring, nodeVerifier, { now });
    if (!keyring.ok) throw new Error(`keyring: ${keyring.reason}`);
    this.state = { root: root.value, keyring: keyring.value };
    this.keyringPayload = bundle.keyring.payload;
    this.rootCount = bundle.roots.length;
    this.digest = trustBundleDigest(bundle);
  }
}
