import type { Command } from '@commander-js/extra-typings';
import { rosteredHosts } from '@serfbort/client';
import { PAYLOAD_TYPES, requestId, verifyEnvelope } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { parseDuration } from '../config/duration.js';
import { openRequest } from '../deploy/request.js';
import { followDeployment } from '../deploy/run.js';
import { usageError } from '../errors.js';
import { readerSession, verificationContext } from '../hub/operator-session.js';
import { contextOf, examples } from './context.js';

export function registerWatch(program: Command): void {
  const watch = program
    .command('watch')
    .description(
      'follow a deployment submitted earlier (e.g. with --no-wait) and verify every answer',
    )
    .argument('<request-id>', 'the id printed by deploy or submit')
    .option(
      '--timeout <duration>',
      'how long to wait for answers from hosts that are online',
      '10m',
    )
    .option('--json', 'print one JSON document with the result')
    .action(async (id, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      if (!requestId.safeParse(id).success)
        throw usageError('BAD_REQUEST_ID', `'${id}' is not a request id`);
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      const { hub } = await readerSession(ctx);
      try {
        const view = await hub.watch(id);
        // the request as signed, not the hub's summary of it: receipts must name its digest
        const req = openRequest(view.envelope, `deployment ${id}`);
        if (req.request.id !== id)
          throw usageError(
            'BAD_REQUEST_ID',
            `the hub returned request ${req.request.id} for ${id}`,
          );
        const hosts = (await hub.hosts({ target: req.request.target })).filter((h) => h.approved);
        const { trust, agentKeys, fleet } = await verificationContext(ctx, hub);
        // the hub chose what to show: say whether today's keyring still vouches for its signers
        const { operatorKeys } = trust.keyring;
        const signed = verifyEnvelope(
          req.envelope,
          PAYLOAD_TYPES.deploy,
          (k) => operatorKeys.get(k),
          nodeVerifier,
        );
        if (!signed.ok) {
          ctx.out.alarm(
            `request ${id} is not signed by an operator of keyring v${trust.keyring.keyring.version} (${signed.reason}): agents refuse it`,
          );
        }
        process.exitCode = await followDeployment(ctx, hub, req, view, hosts, agentKeys, {
          json: opts.json === true,
          wait: true,
          timeoutMs,
          rostered: rosteredHosts(fleet, req.request.target),
        });
      } finally {
        hub.close();
      }
    });
  examples(watch, ['serfbort watch 3q2…', 'serfbort watch 3q2… --json --timeout 2m']);
}
