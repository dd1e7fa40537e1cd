import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { artifactStatement, signStatement, sslibKeyId } from '@serfbort/core';
import { nodeSigner, writeFileAtomic } from '@serfbort/node';
import { artifactFromFile } from '../deploy/artifact.js';
import { unlockKey } from '../keys/key-files.js';
import { contextOf, examples } from './context.js';

export function registerAttest(program: Command): void {
  const attest = program
    .command('attest')
    .description(
      'as a build pipeline: sign an in-toto statement (DSSE) that names the artifact by its sha256',
    )
    .argument('<artifact>', 'the built file')
    .requiredOption('--builder-key <file>', "the builder's key file (serfbort key generate)")
    .option('-o, --out <file>', 'where to write the attestation (default <artifact>.intoto.json)')
    .option(
      '--builder-id <uri>',
      "the SLSA builder id recorded in the statement (default serfbort-attest:<the key's id>)",
    )
    .option('--json', 'print one JSON document with what was written')
    .action(async (file, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const path = resolve(file);
      const artifact = await artifactFromFile(path, undefined, '<artifact>');
      const key = await unlockKey(ctx.config, resolve(opts.builderKey));
      const builderId = opts.builderId ?? `serfbort-attest:${key.keyId}`;
      const statement = artifactStatement(
        { name: artifact.name ?? file, sha256: artifact.sha256 },
        builderId,
      );
      const envelope = signStatement(statement, [nodeSigner(key)]);
      const out = resolve(opts.out ?? `${path}.intoto.json`);
      // an attestation is public: it travels inside deploy requests
      writeFileAtomic(out, `${JSON.stringify(envelope, null, 2)}\n`, 0o644);
      const keyid = sslibKeyId(key.publicKey);
      if (opts.json)
        return ctx.out.document({ path: out, artifact, builderKeyId: key.keyId, keyid, builderId });
      ctx.out.line(`wrote ${out}`);
      ctx.out.line(`subject   ${artifact.name} sha256:${artifact.sha256} (${artifact.size} bytes)`);
      ctx.out.line(`signed by ${key.keyId} (in-toto key id ${keyid})`);
      ctx.out.line(`next: serfbort deploy APP VERSION --artifact ${file} --attestation ${out}`);
    });
  examples(attest, [
    'serfbort attest --builder-key ci-builder.key.json web-v3.tar.gz',
    'serfbort attest --builder-key ci-builder.key.json web-v3.tar.gz -o web-v3.intoto.json --json',
  ]);
}
