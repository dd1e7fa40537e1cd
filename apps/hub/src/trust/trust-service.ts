import type {
  Envelope,
  KeyringDocument,
  TrustBundle,
  TrustCode,
  TrustState,
  VerifiedKeyring,
  VerifiedRoot,
} from '@serfbort/core';
import {
  advanceRoot,
  fromBase64,
  sha256Hex,
  trustBundleDigest,
  verifyInitialRoot,
  verifyKeyring,
  verifyRootUpdate,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { asc, max } from 'drizzle-orm';
import type { Db } from '../db/open.js';
import { trustDocuments } from '../db/schema.js';
import type { WriteQueue } from '../db/write-queue.js';
import { HubError } from '../errors.js';
import type { Trust } from '../hub-services.js';

/**
 * The hub's copy of the root chain and the current keyring. The hub cannot mint
 * these; it only refuses documents that would not verify for an agent either.
 */
export class TrustService implements Trust {
  private roots: Envelope[] = [];
  private state: TrustState | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  /** newest versions in the database when last loaded or stored here */
  private seen = { root: 0, keyring: 0 };
  /** called after a refresh picked up documents another hub stored */
  onChange: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly writes: WriteQueue,
    private readonly now: () => number,
    /** other hubs write to the same database: check it before deciding */
    private readonly shared = false,
  ) {}

  /** Re-verifies what is stored (signatures and chain; expiry is judged at use). */
  async load(): Promise<void> {
    const docs = await this.db
      .select()
      .from(trustDocuments)
      .orderBy(asc(trustDocuments.kind), asc(trustDocuments.version));
    const roots = docs.filter((d) => d.kind === 'root').map((d) => d.envelope);
    const keyrings = docs.filter((d) => d.kind === 'keyring');
    this.seen = { root: roots.length, keyring: keyrings.at(-1)?.version ?? 0 };
    if (roots.length === 0) return;
    const first = verifyInitialRoot(roots[0], nodeVerifier);
    if (!first.ok) throw new Error(`stored root v1 does not verify: ${first.reason}`);
    const head = advanceRoot(first.value, roots.slice(1), nodeVerifier);
    if (!head.ok) throw new Error(`stored root chain does not verify: ${head.reason}`);
    this.roots = roots;
    const newest = keyrings.at(-1);
    const keyring = newest
      ? verifyKeyring(head.value.root, newest.envelope, nodeVerifier, { now: 0 })
      : null;
    this.state = { root: head.value, keyring: keyring?.ok ? keyring.value : null };
  }

  /**
   * With several hubs on one database: reloads when another hub stored a newer root or
   * keyring, so a revoked operator is refused here at once. Returns whether it changed.
   */
  async refresh(): Promise<boolean> {
    if (!this.shared) return false;
    const run = this.chain.then(() => this.reloadIfNewer());
    this.chain = run.catch(() => undefined);
    const changed = await run;
    if (changed) this.onChange?.();
    return changed;
  }

  private async reloadIfNewer(): Promise<boolean> {
    const rows = await this.db
      .select({ kind: trustDocuments.kind, version: max(trustDocuments.version) })
      .from(trustDocuments)
      .groupBy(trustDocuments.kind);
    const newest = (kind: string) => rows.find((r) => r.kind === kind)?.version ?? 0;
    if (newest('root') === this.seen.root && newest('keyring') === this.seen.keyring) return false;
    await this.load();
    return true;
  }

  bundle(): TrustBundle {
    return { roots: [...this.roots], keyring: this.state?.keyring?.envelope ?? null };
  }

  private digest: { roots: Envelope[]; keyring: Envelope | null; value: string } | undefined;

  bundleDigest(): string {
    const keyring = this.state?.keyring?.envelope ?? null;
    const d = this.digest;
    // documents are replaced, never changed in place: the same objects, the same digest
    if (
      d?.keyring === keyring &&
      d.roots.length === this.roots.length &&
      d.roots.every((r, i) => r === this.roots[i])
    )
      return d.value;
    const bundle = this.bundle();
    this.digest = { roots: bundle.roots, keyring, value: trustBundleDigest(bundle) };
    return this.digest.value;
  }

  current(): TrustState | null {
    return this.state;
  }

  keyring(): VerifiedKeyring | null {
    return this.state?.keyring ?? null;
  }

  /** An unexpired operator of the current keyring, with its raw key. */
  operator(
    keyId: string,
  ): { entry: KeyringDocument['operators'][number]; publicKey: Uint8Array } | undefined {
    const keyring = this.state?.keyring;
    const entry = keyring?.keyring.operators.find((o) => o.keyId === keyId);
    const publicKey = keyring?.operatorKeys.get(keyId);
    if (!entry || !publicKey || (entry.expiresAt !== undefined && entry.expiresAt <= this.now()))
      return undefined;
    return { entry, publicKey };
  }

  /** Verifies and stores one document; publishes are serialized. */
  publish(
    kind: 'root' | 'keyring',
    envelope: Envelope,
  ): Promise<{ version: number; changed: boolean }> {
    const run = this.chain.then(async () => {
      if (this.shared && (await this.reloadIfNewer())) this.onChange?.();
      return kind === 'root' ? this.publishRoot(envelope) : this.publishKeyring(envelope);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async publishRoot(envelope: Envelope): Promise<{ version: number; changed: boolean }> {
    const now = this.now();
    const current = this.state?.root;
    if (current && digestOf(envelope) === current.digest)
      return { version: current.root.version, changed: false };
    const verified = current
      ? verifyRootUpdate(current.root, envelope, nodeVerifier)
      : verifyInitialRoot(envelope, nodeVerifier);
    if (!verified.ok) throw new HubError(verified.reason, verified.detail ?? verified.reason);
    if (verified.value.root.expiresAt <= now)
      throw trustError('TRUST_DOC_EXPIRED', `root v${verified.value.root.version} expired`);
    // the held keyring must still be signed by a threshold of the new root
    const held = this.state?.keyring;
    const recheck = held
      ? verifyKeyring(verified.value.root, held.envelope, nodeVerifier, {
          now: 0,
          allowSameVersion: true,
        })
      : null;
    await this.store(
      'root',
      verified.value.root.version,
      verified.value.envelope,
      verified.value.digest,
    );
    this.roots = [...this.roots, verified.value.envelope];
    this.state = { root: verified.value, keyring: recheck?.ok ? recheck.value : null };
    return { version: verified.value.root.version, changed: true };
  }

  private async publishKeyring(envelope: Envelope): Promise<{ version: number; changed: boolean }> {
    const root: VerifiedRoot | undefined = this.state?.root;
    if (!root) throw trustError('TRUST_NO_ROOT', 'publish a root document before a keyring');
    const held = this.state?.keyring;
    if (held && digestOf(envelope) === digestOf(held.envelope))
      return { version: held.keyring.version, changed: false };
    const verified = verifyKeyring(root.root, envelope, nodeVerifier, {
      now: this.now(),
      previous: held?.keyring ?? null,
    });
    if (!verified.ok) throw new HubError(verified.reason, verified.detail ?? verified.reason);
    await this.store(
      'keyring',
      verified.value.keyring.version,
      verified.value.envelope,
      digestOf(verified.value.envelope),
    );
    this.state = { root, keyring: verified.value };
    return { version: verified.value.keyring.version, changed: true };
  }

  private store(
    kind: 'root' | 'keyring',
    version: number,
    envelope: Envelope,
    digest: string,
  ): Promise<void> {
    return this.writes.run(async ({ tx, audit }) => {
      await tx
        .insert(trustDocuments)
        .values({ kind, version, envelope, digest, storedAt: this.now() });
      await audit.append('trust', { kind, version, digest, envelope });
      this.seen = { ...this.seen, [kind]: version };
    });
  }
}

const trustError = (code: TrustCode, message: string) => new HubError(code, message);

function digestOf(envelope: Envelope): string {
  try {
    return sha256Hex(fromBase64(envelope.payload));
  } catch {
    return '';
  }
}
