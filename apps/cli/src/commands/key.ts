import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { fingerprintOf, fromBase64 } from '@serfbort/core';
import { createKeyFile, readKeyFile, unlockKey } from '../keys/key-files.js';
import { contextOf, examples } from './context.js';

export function registerKey(program: Command): void {
  const key = program.command('key').description('create and inspect encrypted key files');

  const generate = key
    .command('generate')
    .description(
      'create a new Ed25519 key pair in an encrypted key file (scrypt + xsalsa20-poly1305)',
    )
    .option('--out <path>', 'where to write it (default: the configured key path)')
    .option('--name <name>', 'a label stored in the file, e.g. your name or "root-1"')
    .option('--force', 'replace an existing file (the old key is lost)')
    .option('--json', 'print the result as JSON')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const path = resolve(opts.out ?? ctx.config.keyPath);
      const file = await createKeyFile(ctx.config, path, {
        ...(opts.name ? { name: opts.name } : {}),
        force: opts.force === true,
      });
      const fingerprint = fingerprintOf(fromBase64(file.publicKey));
      if (opts.json)
        ctx.out.document({
          path,
          keyId: file.keyId,
          fingerprint,
          publicKey: file.publicKey,
          name: file.name ?? null,
        });
      ctx.out.line(`wrote ${path}`);
      ctx.out.line(`key id      ${file.keyId}`);
      ctx.out.line(`fingerprint ${fingerprint}`);
      ctx.out.line(`public key  ${file.publicKey}`);
    });
  examples(generate, [
    'serfbort key generate --name alice',
    'serfbort key generate --out root-1.key.json --name root-1',
    'SERFBORT_PASSPHRASE=… serfbort key generate --out ci.key.json   # non-interactive (CI)',
  ]);

  const show = key
    .command('show')
    .description('print the key id, fingerprint and public key of a key file')
    .argument('[path]', 'key file (default: the configured key path)')
    .option('--verify', 'also decrypt it, to check the passphrase and that the file is intact')
    .option('--json', 'print the result as JSON')
    .action(async (path, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const where = resolve(path ?? ctx.config.keyPath);
      const file = readKeyFile(where);
      if (opts.verify) await unlockKey(ctx.config, where);
      const fingerprint = fingerprintOf(fromBase64(file.publicKey));
      if (opts.json) {
        ctx.out.document({
          path: where,
          keyId: file.keyId,
          fingerprint,
          publicKey: file.publicKey,
          name: file.name ?? null,
          createdAt: file.createdAt,
          verified: opts.verify === true,
        });
      }
      ctx.out.line(`${ctx.out.c.bold(file.name ?? 'key')} ${where}`);
      ctx.out.line(`key id      ${file.keyId}`);
      ctx.out.line(`fingerprint ${fingerprint}`);
      ctx.out.line(`public key  ${file.publicKey}`);
      if (opts.verify) ctx.out.line(ctx.out.c.green('passphrase ok, key intact'));
    });
  examples(show, [
    'serfbort key show',
    'serfbort key show root-1.key.json --json',
    'serfbort key show --verify',
  ]);
}
