import type { Command } from '@commander-js/extra-typings';
import { forget } from '@serfbort/client';
import { hostName } from '@serfbort/core';
import { usageError } from '../errors.js';
import { verificationContext } from '../hub/operator-session.js';
import { loadRoster, rosterPath, saveRoster } from '../hub/roster-store.js';
import { contextOf, examples } from './context.js';
import { withOperator } from './with-operator.js';

/**
 * `agents forget`: a decommissioned host leaves this client's roster on purpose; without
 * it, every check and deploy that targets it would call it withheld forever.
 */
export function registerAgentsForget(agents: Command): void {
  const cmd = agents
    .command('forget')
    .description(
      "remove a host from this client's roster (a decommissioned host, so it is no longer reported withheld)",
    )
    .argument('<name>', 'host name')
    .option('--json', 'print one JSON document with the result')
    .action(async (name, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      if (!hostName.safeParse(name).success)
        throw usageError('BAD_HOSTS', `'${name}' is not a host name`);
      await withOperator(ctx, async ({ hub }) => {
        // learn first: what the hub presents now must not come back after the forgetting
        const { fleet, heads } = await verificationContext(ctx, hub);
        const hubId = fleet.roster.hubId;
        const { roster, removed } = forget(loadRoster(ctx.config, hubId), name);
        if (!removed)
          throw usageError(
            'NOT_ROSTERED',
            `${name} is not in this client's roster of hub ${hubId} (${rosterPath(ctx.config, hubId)})`,
          );
        saveRoster(ctx.config, roster);
        // its receipt head too: a reinstalled host may start its chain again
        heads.forget(name);
        const stillPresented = fleet.agentKeys.has(name);
        if (opts.json)
          return ctx.out.document({ host: name, hubId, forgotten: true, stillPresented });
        ctx.out.line(`forgot ${name} (roster of hub ${hubId})`);
        if (stillPresented)
          ctx.out.warn(
            `the hub still presents an operator's approval for ${name}: the next command that verifies approvals remembers it again`,
          );
      });
    });
  examples(cmd, ['serfbort agents forget webold', 'serfbort agents forget webold --json']);
}
