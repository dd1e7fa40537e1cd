import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { HubSession } from '../hub/session.js';
import type { VerifiedTrust } from '../hub/verified-trust.js';
import { verifyTrustBundle } from '../hub/verified-trust.js';
import { describeKeyring, describeRoot, expiresSoon } from '../trust/describe.js';
import type { TrustDocFile } from '../trust/doc-file.js';
import { readTrustDoc } from '../trust/doc-file.js';
import { loadPinnedRoot } from '../trust/pinned-root.js';
import { contextOf, examples } from './context.js';

/** roots first, oldest first, so a rotation chain and a keyring signed by the new root publish in one go */
const publishOrder = (a: TrustDocFile, b: TrustDocFile) =>
  a.kind === b.kind ? a.doc.version - b.doc.version : a.kind === 'root' ? -1 : 1;

function trustJson(t: VerifiedTrust, now: number) {
  const { root } = t.root;
  const { keyring } = t.keyring;
  return {
    pinned: t.pinned,
    root: {
      version: root.version,
      digest: t.root.digest,
      threshold: root.threshold,
      keys: root.keys,
      issuedAt: root.issuedAt,
      expiresAt: root.expiresAt,
      expiresSoon: expiresSoon(root.expiresAt, now),
    },
    keyring: {
      version: keyring.version,
      issuedAt: keyring.issuedAt,
      expiresAt: keyring.expiresAt,
      expiresSoon: expiresSoon(keyring.expiresAt, now),
      operators: keyring.operators,
      policies: keyring.policies,
      builders: keyring.builders ?? [],
    },
  };
}

export function registerTrustHub(trust: Command): void {
  const publish = trust
    .command('publish')
    .description(
      'upload root and keyring documents to the hub (the hub verifies them; agents verify them again)',
    )
    .argument('<files...>', 'document files')
    .option('--json', 'print one JSON document with what was published')
    .action(async (files, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const docs = files.map((f) => readTrustDoc(resolve(f))).sort(publishOrder);
      const hub = await HubSession.open(ctx.config.hubs, ctx.out);
      const published: { kind: string; version: number; path: string }[] = [];
      try {
        for (const doc of docs) {
          const { version } = await hub.publish(doc.kind, doc.envelope);
          published.push({ kind: doc.kind, version, path: doc.path });
          ctx.out.line(`published ${doc.kind} v${version} (${doc.path}) to ${hub.url}`);
        }
      } finally {
        hub.close();
      }
      if (opts.json) ctx.out.document({ hub: hub.url, published });
    });
  examples(publish, [
    'serfbort trust publish root.json keyring.json',
    'serfbort trust publish root-v2.json keyring.json --hub https://hub-a:7700,https://hub-b:7700',
  ]);

  const show = trust
    .command('show')
    .description(
      "fetch the hub's trust documents, verify them from the pinned root, and show versions, keys and expiry",
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const pinned = loadPinnedRoot(ctx.config);
      const hub = await HubSession.open(ctx.config.hubs, ctx.out);
      let verified: VerifiedTrust;
      try {
        verified = verifyTrustBundle(await hub.trust(), pinned, ctx.now());
      } finally {
        hub.close();
      }
      const now = ctx.now();
      if (!verified.pinned)
        ctx.out.alarm(
          "no root is pinned: these documents verify only against the hub's own first root",
        );
      const soon = [verified.root.root, verified.keyring.keyring].filter((d) =>
        expiresSoon(d.expiresAt, now),
      );
      for (const d of soon)
        ctx.out.warn(
          `${d.type} v${d.version} expires within 7 days: renew it (serfbort trust ${d.type === 'root' ? 'rotate-root' : 'renew'})`,
        );
      if (opts.json) {
        ctx.out.document(trustJson(verified, now));
        return;
      }
      ctx.out.line(
        `hub ${ctx.config.hubs.join(', ')}: documents verify ${verified.pinned ? 'from the pinned root' : '(root NOT pinned)'}`,
      );
      for (const line of describeRoot(verified.root.root, now, ctx.out.c)) ctx.out.line(line);
      ctx.out.line(`  digest ${verified.root.digest}`);
      for (const line of describeKeyring(verified.keyring.keyring, now, ctx.out.c))
        ctx.out.line(line);
    });
  examples(show, ['serfbort trust show', 'serfbort trust show --root root.json --json']);
}
