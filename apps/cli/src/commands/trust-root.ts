import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { RootDocument, TrustedKey } from '@serfbort/core';
import { fromBase64, keyIdOf, LIMITS, sha256Hex, toBase64 } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { usageError } from '../errors.js';
import { readPublicKey } from '../keys/public-key-input.js';
import { describeRoot, tallyText } from '../trust/describe.js';
import { readTrustDoc, writeEnvelope } from '../trust/doc-file.js';
import { rootTallies } from '../trust/signature-status.js';
import { refuseOverwrite, signRootDoc, unlockAll } from '../trust/signing.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples, positiveInt } from './context.js';

function checkKeySet(keys: TrustedKey[], threshold: number): void {
  if (keys.length === 0) throw usageError('KEY_REQUIRED', 'a root needs at least one key');
  if (keys.length > LIMITS.rootKeys)
    throw usageError('TOO_MANY_KEYS', `a root lists at most ${LIMITS.rootKeys} keys`);
  if (threshold > keys.length)
    throw usageError(
      'BAD_THRESHOLD',
      `threshold ${threshold} is more than the ${keys.length} listed key(s)`,
    );
}

function dedupe(keys: TrustedKey[]): TrustedKey[] {
  return [...new Map(keys.map((k) => [k.keyId, k])).values()];
}

function report(
  ctx: Ctx,
  out: string,
  envelope: Parameters<typeof rootTallies>[0],
  doc: RootDocument,
  previous?: RootDocument,
) {
  const t = rootTallies(envelope, doc, previous);
  for (const line of describeRoot(doc, ctx.now(), ctx.out.c)) ctx.out.line(line);
  ctx.out.line(tallyText(`v${doc.version}'s own keys`, t.own, ctx.out.c));
  if (t.previous && previous)
    ctx.out.line(tallyText(`v${previous.version}'s keys`, t.previous, ctx.out.c));
  ctx.out.line(`wrote ${out}   digest ${sha256Hex(fromBase64(envelope.payload))}`);
  const done = t.own.have >= t.own.need && (!t.previous || t.previous.have >= t.previous.need);
  ctx.out.line(
    done
      ? `next: serfbort trust publish ${out}`
      : `next: the other administrators run: serfbort trust sign ${out} --root-key THEIR_KEY`,
  );
}

export function registerTrustRoot(trust: Command): void {
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
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd);
      const out = resolve(opts.out);
      refuseOverwrite(out, opts.force);
      const threshold = positiveInt(opts.threshold, '--threshold');
      const lifetime = parseDuration(opts.expires, '--expires');
      const signers = await unlockAll(ctx, opts.rootKey);
      const keys = dedupe([
        ...signers.map((k) => ({ keyId: k.keyId, publicKey: toBase64(k.publicKey) })),
        ...opts.rootPubkey.map((p) => {
          const k = readPublicKey(p);
          return { keyId: k.keyId, publicKey: k.publicKey, ...(k.name ? { name: k.name } : {}) };
        }),
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
      ctx.out.note(
        `pin it for this CLI: --root ${out} (or SERFBORT_ROOT, or copy it to ~/.config/serfbort/root.json); agents pin it too`,
      );
    });
  examples(init, [
    'serfbort trust init --root-key root-1.key.json --out root.json',
    'serfbort trust init --root-key r1.key.json --root-key r2.key.json --root-pubkey r3.key.json --threshold 2 --expires 365d',
  ]);

  const rotate = trust
    .command('rotate-root')
    .description(
      'create root v(n+1): must be signed by a threshold of the current AND of the new root keys',
    )
    .requiredOption('--current <file>', 'the current root document')
    .option(
      '--add <key>',
      'a root public key (base64 or key file) to add (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--remove <keyid>',
      'a root key id (or key file) to remove (repeatable)',
      collect,
      [] as string[],
    )
    .option('--threshold <n>', 'new threshold (default: unchanged)')
    .option('--expires <duration>', 'lifetime of the new root', '365d')
    .option(
      '--root-key <file>',
      'a key file to sign with now, old or new (repeatable)',
      collect,
      [] as string[],
    )
    .option('--out <file>', 'where to write it (default: root-v<N>.json)')
    .option('--force', 'replace an existing file')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd);
      const current = readTrustDoc(resolve(opts.current), 'root').doc as RootDocument;
      const removeIds = opts.remove.map((r) =>
        /^[0-9a-f]{32}$/.test(r) ? r : readPublicKey(r).keyId,
      );
      for (const id of removeIds) {
        if (!current.keys.some((k) => k.keyId === id))
          throw usageError('KEY_NOT_LISTED', `root v${current.version} does not list key ${id}`);
      }
      const added = opts.add.map((a) => {
        const k = readPublicKey(a);
        return { keyId: k.keyId, publicKey: k.publicKey, ...(k.name ? { name: k.name } : {}) };
      });
      const keys = dedupe([...current.keys.filter((k) => !removeIds.includes(k.keyId)), ...added]);
      const threshold = opts.threshold
        ? positiveInt(opts.threshold, '--threshold')
        : current.threshold;
      checkKeySet(keys, threshold);
      const out = resolve(opts.out ?? `root-v${current.version + 1}.json`);
      refuseOverwrite(out, opts.force);
      const signers = await unlockAll(ctx, opts.rootKey);
      const known = new Set([...current.keys, ...keys].map((k) => k.keyId));
      for (const s of signers) {
        if (!known.has(keyIdOf(s.publicKey)))
          ctx.out.warn(
            `key ${s.keyId} is in neither the current nor the new root; its signature counts for nothing`,
          );
      }
      const now = ctx.now();
      const doc: RootDocument = {
        type: 'root',
        version: current.version + 1,
        issuedAt: now,
        expiresAt: now + parseDuration(opts.expires, '--expires'),
        threshold,
        keys,
      };
      const envelope = signRootDoc(doc, signers);
      writeEnvelope(out, envelope);
      report(ctx, out, envelope, doc, current);
    });
  examples(rotate, [
    'serfbort trust rotate-root --current root.json --add new-root.key.json --remove 0123…(key id) --root-key root-1.key.json --root-key new-root.key.json',
    'serfbort trust rotate-root --current root.json --expires 365d --root-key root-1.key.json   # renew the root',
  ]);
}
