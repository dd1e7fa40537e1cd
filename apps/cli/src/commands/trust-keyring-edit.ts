import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { plural } from '@serfbort/client';
import type { KeyringDocument } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { HubSession } from '../hub/session.js';
import { verifyTrustBundle } from '../hub/verified-trust.js';
import { describeKeyring, tallyText } from '../trust/describe.js';
import { readTrustDoc, writeEnvelope } from '../trust/doc-file.js';
import { emptyKeyring, nextVersion } from '../trust/keyring-edit.js';
import { loadPinnedRoot } from '../trust/pinned-root.js';
import { tally } from '../trust/signature-status.js';
import { signKeyringDoc, unlockAll } from '../trust/signing.js';
import type { Ctx } from './context.js';
import { collect } from './context.js';

export interface EditOptions {
  keyring: string;
  fromHub?: boolean;
  out?: string;
  expires: string;
  rootKey: string[];
  json?: boolean;
}

function readBase(ctx: Ctx, path: string): KeyringDocument {
  if (!existsSync(path)) {
    ctx.out.note(`${path} does not exist: starting a new keyring`);
    return emptyKeyring();
  }
  const file = readTrustDoc(path, 'keyring');
  const root = loadPinnedRoot(ctx.config);
  // the base is what gets re-signed: say so when it does not carry the root's signatures
  if (root && tally(file.envelope, root.root.keys, root.root.threshold).have === 0) {
    ctx.out.warn(
      `${path} carries no signature of the pinned root: check its contents before signing`,
    );
  }
  return file.doc;
}

/** The keyring the hub serves, verified from the pinned root: for when the local file is not at hand. */
async function keyringFromHub(ctx: Ctx): Promise<KeyringDocument> {
  const hub = await HubSession.open(ctx.config.hubs, ctx.out);
  try {
    const trust = verifyTrustBundle(await hub.trust(), loadPinnedRoot(ctx.config), ctx.now());
    if (!trust.pinned)
      ctx.out.alarm(
        "no root is pinned: the hub's keyring was checked only against the hub's own first root",
      );
    ctx.out.note(`starting from the hub's keyring v${trust.keyring.keyring.version}`);
    return trust.keyring.keyring;
  } finally {
    hub.close();
  }
}

/** Reads the base keyring, applies one edit, signs version+1 and writes it, then says what is next. */
export async function edit(
  ctx: Ctx,
  opts: EditOptions,
  change: (doc: KeyringDocument) => KeyringDocument,
  what: string,
) {
  const input = resolve(opts.keyring);
  const out = resolve(opts.out ?? opts.keyring);
  const lifetime = parseDuration(opts.expires, '--expires');
  const base = opts.fromHub ? await keyringFromHub(ctx) : readBase(ctx, input);
  const doc = nextVersion(change(base), ctx.now(), lifetime);
  const signers = await unlockAll(ctx, opts.rootKey);
  const envelope = signKeyringDoc(doc, signers);
  writeEnvelope(out, envelope);
  const root = loadPinnedRoot(ctx.config);
  const t = root ? tally(envelope, root.root.keys, root.root.threshold) : null;
  if (ctx.out.json) {
    ctx.out.document({
      path: out,
      kind: 'keyring',
      change: what,
      version: doc.version,
      keyring: doc,
      signatures: t,
      complete: t ? t.have >= t.need : null,
    });
    return doc;
  }
  ctx.out.line(`${what}`);
  for (const line of describeKeyring(doc, ctx.now(), ctx.out.c)) ctx.out.line(line);
  if (root && t) {
    ctx.out.line(tallyText(`root v${root.root.version}`, t, ctx.out.c));
    ctx.out.line(`wrote ${out}`);
    ctx.out.line(
      t.have >= t.need
        ? `next: serfbort trust publish ${out}`
        : `next: the other administrators run: serfbort trust sign ${out} --root-key THEIR_KEY`,
    );
  } else {
    ctx.out.line(
      `wrote ${out} (signed by ${plural(signers.length, 'root key')}; pin the root with --root to see the threshold)`,
    );
  }
  return doc;
}

export function withEditOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option(
      '--keyring <file>',
      'the current keyring document; a new one is started if it does not exist',
      'keyring.json',
    )
    .option(
      '--from-hub',
      "start from the hub's keyring (verified from the pinned root), not --keyring",
    )
    .option('--out <file>', 'where to write the new version (default: the --keyring file)')
    .option(
      '--expires <duration>',
      'lifetime of the new keyring version (days: it bounds how long a revocation can be withheld)',
      '30d',
    )
    .option('--root-key <file>', 'root key file to sign with (repeatable)', collect, [] as string[])
    .option('--json', 'print one JSON document with what was written');
}
