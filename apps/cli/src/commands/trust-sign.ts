import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { plural } from '@serfbort/client';
import type { Envelope, RootDocument } from '@serfbort/core';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { describeKeyring, describeRoot, tallyText } from '../trust/describe.js';
import type { TrustDocFile } from '../trust/doc-file.js';
import { readTrustDoc, writeEnvelope } from '../trust/doc-file.js';
import { loadPinnedRoot } from '../trust/pinned-root.js';
import type { Tally } from '../trust/signature-status.js';
import { rootTallies, tally } from '../trust/signature-status.js';
import { cosign, unlockAll } from '../trust/signing.js';
import { collect, contextOf, examples } from './context.js';

/** --json: the document written and its signature counts (null: no pinned root to count by). */
const signedJson = (
  path: string,
  file: TrustDocFile,
  envelope: Envelope,
  signatures: Record<string, Tally> | null,
) => ({
  path,
  kind: file.kind,
  version: file.doc.version,
  signatures: envelope.signatures.map((s) => s.keyid),
  tallies: signatures,
});

export function registerTrustSign(trust: Command): void {
  const sign = trust
    .command('sign')
    .description('co-sign a pending root or keyring document (for thresholds above one)')
    .argument('<file>', 'the document another administrator prepared')
    .option('--root-key <file>', 'your root key file (repeatable)', collect, [] as string[])
    .option(
      '--current <file>',
      'for a root rotation: the root it replaces, to count its signatures',
    )
    .option('--out <file>', 'write the co-signed document here (default: in place)')
    .option('-y, --yes', 'sign without asking (you reviewed the document)')
    .option('--json', 'print one JSON document with what was written')
    .action(async (file, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const path = resolve(file);
      const docFile = readTrustDoc(path);
      const now = ctx.now();
      const lines =
        docFile.kind === 'root'
          ? describeRoot(docFile.doc, now, ctx.out.e)
          : describeKeyring(docFile.doc, now, ctx.out.e);
      ctx.out.note('You are about to sign:');
      for (const line of lines) ctx.out.note(line);
      await confirmSigning(ctx, 'Sign this document?', opts.yes);
      const keys = await unlockAll(ctx, opts.rootKey);
      const envelope = cosign(docFile.envelope, docFile.payloadBytes, keys);
      const out = resolve(opts.out ?? path);
      writeEnvelope(out, envelope);
      ctx.out.line(`signed ${out} (${plural(envelope.signatures.length, 'signature')})`);
      if (docFile.kind === 'root') {
        const previous = opts.current
          ? (readTrustDoc(resolve(opts.current), 'root').doc as RootDocument)
          : undefined;
        const t = rootTallies(envelope, docFile.doc, previous);
        if (opts.json) return ctx.out.document(signedJson(out, docFile, envelope, t));
        ctx.out.line(tallyText(`v${docFile.doc.version}'s own keys`, t.own, ctx.out.c));
        if (t.previous && previous)
          ctx.out.line(tallyText(`v${previous.version}'s keys`, t.previous, ctx.out.c));
      } else {
        const root = loadPinnedRoot(ctx.config);
        const t = root ? { root: tally(envelope, root.root.keys, root.root.threshold) } : null;
        if (opts.json) return ctx.out.document(signedJson(out, docFile, envelope, t));
        if (root && t) ctx.out.line(tallyText(`root v${root.root.version}`, t.root, ctx.out.c));
      }
    });
  examples(sign, [
    'serfbort trust sign keyring.json --root-key root-2.key.json',
    'serfbort trust sign root-v2.json --current root.json --root-key root-2.key.json --yes',
  ]);
}
