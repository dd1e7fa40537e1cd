import type { Command } from '@commander-js/extra-typings';
import { plural } from '@serfbort/client';
import type { OperatorEntry } from '@serfbort/core';
import { appName, parseSelector } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { usageError } from '../errors.js';
import { readPublicKey } from '../keys/public-key-input.js';
import { addOperator, operatorsForApp, revokeOperator, setPolicy } from '../trust/keyring-edit.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples, positiveInt, splitList } from './context.js';
import { registerTrustBuilders } from './trust-builders.js';
import { edit, withEditOptions } from './trust-keyring-edit.js';

function checkApp(app: string): string {
  if (!appName.safeParse(app).success)
    throw usageError('BAD_APP', `app '${app}': starts with a letter, then a-z, 0-9, _ and -`);
  return app;
}

interface AddOperatorFlags {
  name: string;
  apps: string;
  selector: string[];
  validFor?: string;
}

export function registerTrustKeyring(trust: Command): void {
  registerAddOperator(trust);
  registerRevokeOperator(trust);
  registerSetPolicy(trust);
  registerRenew(trust);
  registerTrustBuilders(trust);
}

function registerAddOperator(trust: Command): void {
  const add = withEditOptions(
    trust
      .command('add-operator')
      .description('list an operator key in a new keyring version (or change one with --replace)')
      .argument('<pubkey>', "the operator's public key: base64, or their key file"),
  )
    .requiredOption('--name <name>', 'who holds the key')
    .option('--apps <list>', 'apps the operator may deploy, comma separated, or *', '*')
    .option(
      '--selector <selector>',
      "hosts the operator may target, e.g. 'role=web' (repeatable; default *: any host)",
      collect,
      [] as string[],
    )
    .option('--valid-for <duration>', 'the operator entry itself expires after this long')
    .option('--replace', 'replace an operator with the same name or key')
    .action(async (pubkey, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const entry = operatorEntry(ctx, pubkey, opts);
      await edit(
        ctx,
        opts,
        (doc) => addOperator(doc, entry, opts.replace === true),
        `adding operator ${opts.name} (${entry.keyId})`,
      );
    });
  examples(add, [
    'serfbort trust add-operator alice.key.json --name alice --root-key root-1.key.json',
    "serfbort trust add-operator 'q9Zt…=' --name ci --apps shop,api --selector 'env=stage' --keyring keyring.json --root-key root-1.key.json",
  ]);
}

/** The keyring entry for a new operator; every app name and selector is checked before signing. */
function operatorEntry(ctx: Ctx, pubkey: string, opts: AddOperatorFlags): OperatorEntry {
  const key = readPublicKey(pubkey);
  const apps = opts.apps === '*' ? ['*'] : splitList(opts.apps).map(checkApp);
  const selectors = opts.selector.length === 0 ? ['*'] : opts.selector;
  for (const s of selectors) {
    const parsed = s === '*' ? undefined : parseSelector(s);
    if (parsed && !parsed.ok)
      throw usageError('BAD_SELECTOR', `selector '${s}': ${parsed.error.message}`);
  }
  return {
    name: opts.name,
    keyId: key.keyId,
    publicKey: key.publicKey,
    apps,
    selectors,
    ...(opts.validFor
      ? { expiresAt: ctx.now() + parseDuration(opts.validFor, '--valid-for') }
      : {}),
  };
}

function registerRevokeOperator(trust: Command): void {
  const revoke = withEditOptions(
    trust
      .command('revoke-operator')
      .description(
        'remove an operator: once published, agents refuse the key, even for requests it signed earlier',
      )
      .argument('<who>', 'operator name or key id (8+ hex characters)'),
  ).action(async (who, opts, cmd) => {
    const ctx = contextOf(cmd, opts.json);
    await edit(ctx, opts, (doc) => revokeOperator(doc, who).doc, `revoking operator ${who}`);
  });
  examples(revoke, [
    'serfbort trust revoke-operator alice --root-key root-1.key.json && serfbort trust publish keyring.json',
  ]);
}

function registerSetPolicy(trust: Command): void {
  const policy = withEditOptions(
    trust
      .command('set-policy')
      .description('require N distinct operator signatures for every deploy of an app')
      .argument('<app>', 'app name'),
  )
    .requiredOption('--threshold <n>', 'operator signatures needed (1 removes the policy)')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const threshold = positiveInt(opts.threshold, '--threshold');
      const doc = await edit(
        ctx,
        opts,
        (d) => setPolicy(d, checkApp(app), threshold),
        `${app} now needs ${plural(threshold, 'operator signature')}`,
      );
      const able = operatorsForApp(doc, app).length;
      if (able < threshold)
        ctx.out.warn(
          `only ${plural(able, 'operator')} may deploy ${app}: no deploy of it can reach ${threshold} signatures`,
        );
    });
  examples(policy, ['serfbort trust set-policy creds --threshold 2 --root-key root-1.key.json']);
}

function registerRenew(trust: Command): void {
  const renew = withEditOptions(
    trust
      .command('renew')
      .description('sign the same keyring again as a new version with a fresh expiry (routine)'),
  ).action(async (opts, cmd) => {
    const ctx = contextOf(cmd, opts.json);
    await edit(ctx, opts, (doc) => doc, 'renewing the keyring');
  });
  examples(renew, [
    'serfbort trust renew --keyring keyring.json --expires 30d --root-key root-1.key.json',
  ]);
}
