import { join, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { RootDocument } from '@serfbort/core';
import { toBase64 } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { writeEnvelope } from '../trust/doc-file.js';
import { refuseOverwrite, signRootDoc, unlockAll } from '../trust/signing.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples, positiveInt } from './context.js';
import { checkKeySet, dedupe, listedKey, report } from './trust-root-doc.js';
import { registerRotateRoot } from './trust-rotate-root.js';

interface InitFlags {
  rootKey: string[];
  rootPubkey: string[];
  threshold: string;
  expires: string;
  out: string;
  force?: boolean;
  json?: boolean;
}

export function registerTrustRoot(trust: Command): void {
  registerTrustInit(trust);
  registerRotateRoot(trust);
}

function registerTrustInit(trust: Command): void {
  const init = trust
    .command('init')
    .description('create the first root document (the trust anchor agents and operators pin)')
    .option(
      '--root-key <file>',
      'a root key file that is listed AND signs now (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--root-pubkey <key>',
      'a root public key (base64 or key file) listed but signing later with `trust sign` (repeatable)',
      collect,
      [] as string[],
    )
    .option('--threshold <n>', 'how many root keys must sign every trust document', '1')
    .option('--expires <duration>', 'lifetime of the root document', '365d')
    .option('--out <file>', 'where to write the root document', 'root.json')
    .option('--force', 'replace an existing file')
    .option('--json', 'print one JSON document with what was written')
    .action(async (opts, cmd) => initRoot(contextOf(cmd, opts.json), opts));
  examples(init, [
    'serfbort trust init --root-key root-1.key.json --out root.json',
    'serfbort trust init --root-key r1.key.json --root-key r2.key.json --root-pubkey r3.key.json --threshold 2 --expires 365d',
  ]);
}

/** Root v1: the keys that sign now and the ones listed to sign later. */
async function initRoot(ctx: Ctx, opts: InitFlags): Promise<void> {
  const out = resolve(opts.out);
  refuseOverwrite(out, opts.force);
  const threshold = positiveInt(opts.threshold, '--threshold');
  const lifetime = parseDuration(opts.expires, '--expires');
  const signers = await unlockAll(ctx, opts.rootKey);
  const keys = dedupe([
    ...signers.map((k) => ({ keyId: k.keyId, publicKey: toBase64(k.publicKey) })),
    ...opts.rootPubkey.map(listedKey),
  ]);
  checkKeySet(keys, threshold);
  const now = ctx.now();
  const doc: RootDocument = {
    type: 'root',
    version: 1,
    issuedAt: now,
    expiresAt: now + lifetime,
    threshold,
    keys,
  };
  const envelope = signRootDoc(doc, signers);
  writeEnvelope(out, envelope);
  report(ctx, out, envelope, doc);
  if (ctx.out.json) return;
  ctx.out.note(
    `pin it for this CLI: --root ${out} (or SERFBORT_ROOT, or copy it to ${join(ctx.config.configDir, 'root.json')}); agents pin it too`,
  );
}
