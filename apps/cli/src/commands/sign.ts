import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { addSignature } from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { requestLines } from '../deploy/render.js';
import { openRequest } from '../deploy/request.js';
import { usageError } from '../errors.js';
import { unlockKey } from '../keys/key-files.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { readJsonFile, writeEnvelope } from '../trust/doc-file.js';
import { contextOf, examples } from './context.js';

export function registerSign(program: Command): void {
  const sign = program
    .command('sign')
    .description(
      'add your signature to a deploy request file another operator prepared (apps needing 2+ signatures)',
    )
    .argument('<file>', 'request file written by `serfbort deploy --sign-only`')
    .option('--out <file>', 'write the co-signed request here (default: in place)')
    .option('-y, --yes', 'sign without asking (you reviewed the request)')
    .option('--json', 'print one JSON document with what was written')
    .action(async (file, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const path = resolve(file);
      const req = openRequest(readJsonFile(path, 'request file'), file);
      if (req.request.expiresAt <= ctx.now())
        throw usageError(
          'EXPIRED',
          `${file}: the request expired at ${new Date(req.request.expiresAt).toISOString()}; nothing signed`,
        );
      ctx.out.note('You are about to co-sign this deploy request:');
      for (const line of requestLines(req.request, ctx.out.e)) ctx.out.note(line);
      ctx.out.note(`  signed by ${req.envelope.signatures.map((s) => s.keyid).join(', ')}`);
      await confirmSigning(ctx, 'Co-sign it?', opts.yes);
      const key = await unlockKey(ctx.config, ctx.config.keyPath);
      // over the exact bytes in the file: nothing is re-serialized
      const envelope = addSignature(req.envelope, nodeSigner(key), req.payloadBytes);
      const out = resolve(opts.out ?? path);
      writeEnvelope(out, envelope);
      if (opts.json)
        return ctx.out.document({
          path: out,
          requestId: req.request.id,
          app: req.request.app,
          version: req.request.version,
          signatures: envelope.signatures.map((s) => s.keyid),
          next: `serfbort submit ${out}`,
        });
      ctx.out.line(
        `co-signed ${out} (${envelope.signatures.length} signatures); next: serfbort submit ${out}`,
      );
    });
  examples(sign, [
    'serfbort sign req.json --key bob.key.json',
    'serfbort sign req.json --yes && serfbort submit req.json',
  ]);
}
