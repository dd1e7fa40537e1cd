import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { rosteredHosts } from '@serfbort/client';
import { parseDuration } from '../config/duration.js';
import { openRequest } from '../deploy/request.js';
import { resolveHosts, warnIfUnauthorized } from '../deploy/resolve-hosts.js';
import { submitAndWatch } from '../deploy/run.js';
import { usageError } from '../errors.js';
import { verificationContext } from '../hub/operator-session.js';
import { readJsonFile } from '../trust/doc-file.js';
import { contextOf, examples } from './context.js';
import { withOperator } from './with-operator.js';

/** `submit <file>`: a request signed earlier (e.g. co-signed), submitted and followed. */
export function registerSubmit(program: Command): void {
  const submit = program
    .command('submit')
    .description(
      'submit a request file signed earlier (e.g. co-signed with `serfbort sign`) and follow it',
    )
    .argument('<file>', 'signed request file')
    .option('--no-wait', 'submit and return without following the hosts')
    .option(
      '--timeout <duration>',
      'how long to wait for answers from hosts that are online',
      '10m',
    )
    .option('--json', 'print one JSON document with the result')
    .action(async (file, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const signed = openRequest(readJsonFile(resolve(file), 'request file'), file);
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      if (signed.request.expiresAt <= ctx.now())
        throw usageError(
          'EXPIRED',
          `${file}: the request expired at ${new Date(signed.request.expiresAt).toISOString()}`,
        );
      await withOperator(ctx, async ({ hub }) => {
        const { trust, agentKeys, fleet } = await verificationContext(ctx, hub);
        const rostered = rosteredHosts(fleet, signed.request.target);
        const hosts = await resolveHosts(
          ctx,
          hub,
          signed.request.target,
          undefined,
          rostered.covered,
        );
        // the co-signers are whoever signed the file, not whoever the request names
        const signers = signed.envelope.signatures.map((s) => s.keyid);
        warnIfUnauthorized(ctx, trust, { ...signed.request, signers }, hosts);
        process.exitCode = await submitAndWatch(ctx, hub, signed, hosts, agentKeys, {
          json: opts.json === true,
          wait: opts.wait,
          timeoutMs,
          rostered,
        });
      });
    });
  examples(submit, ['serfbort submit req.json', 'serfbort submit req.json --json --timeout 5m']);
}
