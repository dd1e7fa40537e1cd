import type {
  Envelope,
  TrustBundle,
  TrustCode,
  TrustState,
  VerifiedKeyring,
  VerifiedRoot,
  Verifier,
} from '@serfbort/core';
import {
  advanceRoot,
  openEnvelope,
  PAYLOAD_TYPES,
  sha256Hex,
  verifyInitialRoot,
  verifyKeyring,
} from '@serfbort/core';
import { STATE_FILES, type StateDir } from '../state/state-dir.js';

export interface TrustPin {
  /** a root document installed with the agent */
  root?: Envelope;
  /** or the SHA-256 of a root's payload bytes: the first root from the hub that matches is accepted */
  rootDigest?: string;
}

interface PersistedTrust {
  /** the root chain from the pinned root to the current one */
  roots: Envelope[];
  keyring: Envelope | null;
}

export type TrustUpdate = {
  changed: boolean;
  problems: { doc: 'root' | 'keyring'; code: TrustCode; detail?: string }[];
};

const digestOf = (envelope: unknown): string | undefined => {
  const opened = openEnvelope(envelope, PAYLOAD_TYPES.root);
  return opened.ok ? sha256Hex(opened.value.payloadBytes) : undefined;
};

/** The claimed version of a root envelope; only used after advanceRoot verified the chain. */
const versionOf = (envelope: Envelope): number => {
  const opened = openEnvelope(envelope, PAYLOAD_TYPES.root);
  const version = opened.ok ? (opened.value.payload as { version?: unknown }).version : undefined;
  return typeof version === 'number' ? version : 0;
};

/**
 * The agent's trust anchor and what it has verified since. The hub only delivers
 * documents; every one is checked here against the pinned root (DESIGN: keys and trust).
 */
export class TrustKeeper {
  private chain: Envelope[] = [];
  state: TrustState | null = null;

  constructor(
    private readonly dir: StateDir,
    private readonly pin: TrustPin,
    private readonly verifier: Verifier,
  ) {}

  /** The pinned root, found in `candidates` when only its digest is pinned. */
  private initialRoot(
    candidates: readonly unknown[],
  ): VerifiedRoot | { code: TrustCode; detail?: string } {
    if (this.pin.root) {
      const v = verifyInitialRoot(this.pin.root, this.verifier);
      return v.ok ? v.value : { code: v.reason, ...(v.detail ? { detail: v.detail } : {}) };
    }
    const match = candidates.find(
      (c) => this.pin.rootDigest !== undefined && digestOf(c) === this.pin.rootDigest,
    );
    if (match === undefined)
      return { code: 'TRUST_PIN_MISMATCH', detail: 'no root matches the pinned fingerprint' };
    const v = verifyInitialRoot(match, this.verifier, this.pin.rootDigest);
    return v.ok ? v.value : { code: v.reason, ...(v.detail ? { detail: v.detail } : {}) };
  }

  /** Re-verifies what was persisted; anything that no longer verifies is dropped, never trusted. */
  load(): TrustUpdate {
    const saved = this.dir.readJson(STATE_FILES.trust) as PersistedTrust | undefined;
    this.state = null;
    this.chain = [];
    if (!saved && !this.pin.root) return { changed: false, problems: [] };
    const pinnedDigest = this.pin.root ? digestOf(this.pin.root) : this.pin.rootDigest;
    const roots = saved?.roots ?? [];
    // the chain is kept from the pinned root on; a re-pinned newer root starts it later
    const from = roots.findIndex((r) => digestOf(r) === pinnedDigest);
    return this.apply(
      { roots: from < 0 ? [] : roots.slice(from), keyring: saved?.keyring ?? null },
      0,
    );
  }

  /**
   * A bundle from the hub. `now` = 0 re-checks stored documents without judging their
   * expiry (trustHealth judges that at admission, so expired trust is refused loudly).
   */
  apply(bundle: TrustBundle, now: number): TrustUpdate {
    const problems: TrustUpdate['problems'] = [];
    let head = this.state?.root;
    let chain = this.chain;
    if (!head) {
      const initial = this.initialRoot(bundle.roots);
      if ('code' in initial) return { changed: false, problems: [{ doc: 'root', ...initial }] };
      head = initial;
      chain = [initial.envelope];
    }
    const advanced = advanceRoot(head, bundle.roots, this.verifier);
    if (advanced.ok) {
      const from = head.root.version;
      const to = advanced.value.root.version;
      // advanceRoot took the first document of each version, in order: keep exactly those
      const taken = new Map<number, Envelope>();
      for (const r of bundle.roots) {
        const v = versionOf(r);
        if (v > from && v <= to && !taken.has(v)) taken.set(v, r);
      }
      chain = [...chain, ...[...taken.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])];
    } else
      problems.push({
        doc: 'root',
        code: advanced.reason,
        ...(advanced.detail ? { detail: advanced.detail } : {}),
      });
    const root = advanced.ok ? advanced.value : head;
    const rotated = root.digest !== this.state?.root.digest;
    const keyring = this.nextKeyring(root, bundle.keyring, now, rotated, problems);
    const changed = rotated || keyring !== (this.state?.keyring ?? null);
    this.state = { root, keyring };
    this.chain = chain;
    if (changed && now !== 0)
      this.dir.writeJson(
        { roots: chain, keyring: keyring?.envelope ?? null } satisfies PersistedTrust,
        STATE_FILES.trust,
      );
    return { changed, problems };
  }

  private nextKeyring(
    root: VerifiedRoot,
    offered: Envelope | null,
    now: number,
    rotated: boolean,
    problems: TrustUpdate['problems'],
  ): VerifiedKeyring | null {
    const held = this.state?.keyring ?? null;
    if (offered) {
      const v = verifyKeyring(root.root, offered, this.verifier, {
        now,
        previous: held?.keyring ?? null,
      });
      if (v.ok) return v.value;
      if (v.reason !== 'TRUST_VERSION_NOT_NEWER')
        problems.push({
          doc: 'keyring',
          code: v.reason,
          ...(v.detail ? { detail: v.detail } : {}),
        });
    }
    if (!held || !rotated) return held;
    // a rotated root must still vouch for the keyring held: signers rotated out lose it
    const again = verifyKeyring(root.root, held.envelope, this.verifier, {
      now: 0,
      previous: held.keyring,
      allowSameVersion: true,
    });
    if (again.ok) return again.value;
    problems.push({
      doc: 'keyring',
      code: again.reason,
      detail: 'the held keyring is not signed by the new root',
    });
    return null;
  }

  summary(): {
    root: { version: number; expiresAt: number; digest: string } | null;
    keyring: { version: number; expiresAt: number; operators: number } | null;
  } {
    const s = this.state;
    return {
      root: s
        ? { version: s.root.root.version, expiresAt: s.root.root.expiresAt, digest: s.root.digest }
        : null,
      keyring: s?.keyring
        ? {
            version: s.keyring.keyring.version,
            expiresAt: s.keyring.keyring.expiresAt,
            operators: s.keyring.keyring.operators.length,
          }
        : null,
    };
  }
}
