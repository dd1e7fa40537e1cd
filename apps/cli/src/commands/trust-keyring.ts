import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, OptionValues } from '@commander-js/extra-typings';
import type { KeyringDocument, OperatorEntry } from '@serfbort/core';
import { appName, parseSelector } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { usageError } from '../errors.js';
import { HubSession } from '../hub/session.js';
import { verifyTrustBundle } from '../hub/verified-trust.js';
import { readPublicKey } from '../keys/public-key-input.js';
import { describeKeyring, tallyText } from '../trust/describe.js';
import { readTrustDoc, writeEnvelope } from '../trust/doc-file.js';
import {
  addOperator,
  emptyKeyring,
  nextVersion,
  operatorsForApp,
  revokeOperator,
  setPolicy,
} from '../trust/keyring-edit.js';
import { loadPinnedRoot } from '../trust/pinned-root.js';
import { tally } from '../trust/signature-status.js';
import { signKeyringDoc, unlockAll } from '../trust/signing.js';
import type { Ctx } from './context.js';
import { collect, contextOf, examples, positiveInt, splitList } from './context.js';

interface EditOptions {
  keyring: string;
  fromHub?: boolean;
  out?: string;
  expires: string;
  rootKey: string[];
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
async function edit(
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
  ctx.out.line(`${what}`);
  for (const line of describeKeyring(doc, ctx.now(), ctx.out.c)) ctx.out.line(line);
  const root = loadPinnedRoot(ctx.config);
  if (root) {
    const t = tally(envelope, root.root.keys, root.root.threshold);
    ctx.out.line(tallyText(`root v${root.root.version}`, t, ctx.out.c));
    ctx.out.line(`wrote ${out}`);
    ctx.out.line(
      t.have >= t.need
        ? `next: serfbort trust publish ${out}`
        : `next: the other administrators run: serfbort trust sign ${out} --root-key THEIR_KEY`,
    );
  } else {
    ctx.out.line(
      `wrote ${out} (signed by ${signers.length} root key(s); pin the root with --root to see the threshold)`,
    );
  }
  return doc;
}

function withEditOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
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
    .option(
      '--root-key <file>',
      'root key file to sign with (repeatable)',
      collect,
      [] as string[],
    );
}

function checkApp(app: string): string {
  if (!appName.safeParse(app).success)
    throw usageError('BAD_APP', `app '${app}': starts with a letter, then a-z, 0-9, _ and -`);
  return app;
}

export function registerTrustKeyring(trust: Command): void {
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
      const ctx = contextOf(cmd);
      const key = readPublicKey(pubkey);
      const apps = opts.apps === '*' ? ['*'] : splitList(opts.apps).map(checkApp);
      const selectors = opts.selector.length === 0 ? ['*'] : opts.selector;
      for (const s of selectors) {
        const parsed = s === '*' ? undefined : parseSelector(s);
        if (parsed && !parsed.ok)
          throw usageError('BAD_SELECTOR', `selector '${s}': ${parsed.error.message}`);
      }
      const entry: OperatorEntry = {
        name: opts.name,
        keyId: key.keyId,
        publicKey: key.publicKey,
        apps,
        selectors,
        ...(opts.validFor
          ? { expiresAt: ctx.now() + parseDuration(opts.validFor, '--valid-for') }
          : {}),
      };
      await edit(
        ctx,
        opts,
        (doc) => addOperator(doc, entry, opts.replace === true),
        `adding operator ${opts.name} (${key.keyId})`,
      );
    });
  examples(add, [
    'serfbort trust add-operator alice.key.json --name alice --root-key root-1.key.json',
    "serfbort trust add-operator 'q9Zt…=' --name ci --apps shop,api --selector 'env=stage' --keyring keyring.json --root-key root-1.key.json",
  ]);

  const revoke = withEditOptions(
    trust
      .command('revoke-operator')
      .description(
        'remove an operator: once published, agents refuse the key, even for requests it signed earlier',
      )
      .argument('<who>', 'operator name or key id (8+ hex characters)'),
  ).action(async (who, opts, cmd) => {
    const ctx = contextOf(cmd);
    await edit(ctx, opts, (doc) => revokeOperator(doc, who).doc, `revoking operator ${who}`);
  });
  examples(revoke, [
    'serfbort trust revoke-operator alice --root-key root-1.key.json && serfbort trust publish keyring.json',
  ]);

  const policy = withEditOptions(
    trust
      .command('set-policy')
      .description('require N distinct operator signatures for every deploy of an app')
      .argument('<app>', 'app name'),
  )
    .requiredOption('--threshold <n>', 'operator signatures needed (1 removes the policy)')
    .action(async (app, opts, cmd) => {
      const ctx = contextOf(cmd);
      const threshold = positiveInt(opts.threshold, '--threshold');
      const doc = await edit(
        ctx,
        opts,
        (d) => setPolicy(d, checkApp(app), threshold),
        `${app} now needs ${threshold} operator signature(s)`,
      );
      const able = operatorsForApp(doc, app).length;
      if (able < threshold)
        ctx.out.warn(
          `only ${able} operator(s) may deploy ${app}: no deploy of it can reach ${threshold} signatures`,
        );
    });
  examples(policy, ['serfbort trust set-policy creds --threshold 2 --root-key root-1.key.json']);

  const renew = withEditOptions(
    trust
      .command('renew')
      .description('sign the same keyring again as a new version with a fresh expiry (routine)'),
  ).action(async (opts, cmd) => {
    const ctx = contextOf(cmd);
    await edit(ctx, opts, (doc) => doc, 'renewing the keyring');
  });
  examples(renew, [
    'serfbort trust renew --keyring keyring.json --expires 30d --root-key root-1.key.json',
  ]);
}
