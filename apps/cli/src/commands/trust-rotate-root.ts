import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { RootDocument } from '@serfbort/core';
import { keyIdOf } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { usageError } from '../errors.js';
import { readPublicKey } from '../keys/public-key-input.js';
import { readTrustDoc, writeEnvelope } from '../trust/doc-file.js';
import { refuseOverwrite, signRootDoc, unlockAll } from '../trust/signing.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples, positiveInt } from './context.js';
import { checkKeySet, dedupe, listedKey, report } from './trust-root-doc.js';

interface RotateFlags {
  current: string;
  add: string[];
  remove: string[];
  threshold?: string;
  expires: string;
  rootKey: string[];
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** `trust rotate-root`: root v(n+1), signed by a threshold of the old and of the new keys. */
export function registerRotateRoot(trust: Command): void {
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
    .option('--json', 'print one JSON document with what was written')
    .action(async (opts, cmd) => rotateRoot(contextOf(cmd, opts.json), opts));
  examples(rotate, [
    'serfbort trust rotate-root --current root.json --add new-root.key.json --remove 0123…(key id) --root-key root-1.key.json --root-key new-root.key.json',
    'serfbort trust rotate-root --current root.json --expires 365d --root-key root-1.key.json   # renew the root',
  ]);
}

async function rotateRoot(ctx: Ctx, opts: RotateFlags): Promise<void> {
  const current = readTrustDoc(resolve(opts.current), 'root').doc as RootDocument;
  const removeIds = opts.remove.map((r) => (/^[0-9a-f]{32}$/.test(r) ? r : readPublicKey(r).keyId));
  for (const id of removeIds) {
    if (!current.keys.some((k) => k.keyId === id))
      throw usageError('KEY_NOT_LISTED', `root v${current.version} does not list key ${id}`);
  }
  const added = opts.add.map(listedKey);
  const keys = dedupe([...current.keys.filter((k) => !removeIds.includes(k.keyId)), ...added]);
  const threshold = opts.threshold ? positiveInt(opts.threshold, '--threshold') : current.threshold;
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
}
