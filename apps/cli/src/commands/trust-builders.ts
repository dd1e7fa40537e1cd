import type { Command } from '@commander-js/extra-typings';
import type { BuilderEntry } from '@serfbort/core';
import { fromHex, toBase64 } from '@serfbort/core';
import { checkApp } from '../deploy/target.js';
import { readPublicKey } from '../keys/public-key-input.js';
import {
  addBuilder,
  buildersForApp,
  removeBuilder,
  requireAttestation,
} from '../trust/builder-edit.js';
import { contextOf, examples, splitList } from './context.js';
import { edit, withEditOptions } from './trust-keyring-edit.js';

export function registerTrustBuilders(trust: Command): void {
  registerAddBuilder(trust);
  registerRemoveBuilder(trust);
  registerRequireAttestation(trust);
}

/** A builder key as serfbort spells it (base64, key file) or as securesystemslib does (64 hex). */
function builderKey(input: string) {
  return readPublicKey(/^[0-9a-f]{64}$/.test(input) ? toBase64(fromHex(input)) : input);
}

function registerAddBuilder(trust: Command): void {
  const add = withEditOptions(
    trust
      .command('add-builder')
      .description("list a build pipeline's key, whose in-toto attestations agents accept")
      .argument(
        '<pubkey>',
        "the builder's public key: base64, 64 hex characters (securesystemslib's keyval), or its key file",
      ),
  )
    .requiredOption('--name <name>', 'which pipeline holds the key')
    .option('--apps <list>', 'apps whose artifacts it may attest, comma separated, or *', '*')
    .option('--replace', 'replace a builder with the same name or key')
    .action(async (pubkey, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const key = builderKey(pubkey);
      const entry: BuilderEntry = {
        name: opts.name,
        keyId: key.keyId,
        publicKey: key.publicKey,
        apps: opts.apps === '*' ? ['*'] : splitList(opts.apps).map(checkApp),
      };
      await edit(
        ctx,
        opts,
        (doc) => addBuilder(doc, entry, opts.replace === true),
        `adding builder ${opts.name} (${entry.keyId})`,
      );
    });
  examples(add, [
    'serfbort trust add-builder ci-builder.key.json --name ci --apps web --root-key root-1.key.json',
  ]);
}

function registerRemoveBuilder(trust: Command): void {
  const remove = withEditOptions(
    trust
      .command('remove-builder')
      .description('remove a builder: once published, agents refuse its attestations')
      .argument('<who>', 'builder name or key id (8+ hex characters)'),
  ).action(async (who, opts, cmd) => {
    const ctx = contextOf(cmd, opts.json);
    await edit(ctx, opts, (doc) => removeBuilder(doc, who), `removing builder ${who}`);
  });
  examples(remove, ['serfbort trust remove-builder ci --root-key root-1.key.json']);
}

function registerRequireAttestation(trust: Command): void {
  const require = withEditOptions(
    trust
      .command('require-attestation')
      .description(
        "agents deploy the app only with an artifact digest and a listed builder's attestation of it",
      )
      .argument('<app>', 'app name'),
  )
    .option('--off', 'lift the requirement')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const on = opts.off !== true;
      const doc = await edit(
        ctx,
        opts,
        (d) => requireAttestation(d, checkApp(app), on),
        on ? `${app} now requires a builder's attestation` : `${app} no longer requires one`,
      );
      if (on && buildersForApp(doc, app).length === 0)
        ctx.out.warn(
          `no builder may attest ${app}: no deploy of it can pass (add one: serfbort trust add-builder)`,
        );
    });
  examples(require, [
    'serfbort trust require-attestation web --root-key root-1.key.json',
    'serfbort trust require-attestation web --off --root-key root-1.key.json',
  ]);
}
