import { randomBytes } from 'node:crypto';
import type { Command } from '@commander-js/extra-typings';
import type { EnrollmentGrant } from '@serfbort/core';
import {
  fingerprintOf,
  fromBase64,
  hostName,
  PAYLOAD_TYPES,
  randomId,
  sha256Hex,
  signPayload,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { parseDuration, relativeTime } from '../config/duration.js';
import { usageError } from '../errors.js';
import { labelsText } from '../output/labels.js';
import { renderTable } from '../output/table.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { registerAgentsApprove } from './agents-approve.js';
import { registerAgentsForget } from './agents-forget.js';
import type { Ctx } from './context.js';
import { contextOf, examples } from './context.js';
import { type OperatorSession, withOperator, withReader } from './with-operator.js';

export function registerAgents(program: Command): void {
  const agents = program
    .command('agents')
    .description(
      "agents waiting for approval, approvals, enrollment tokens and this client's roster",
    );
  registerAgentsPending(agents);
  registerAgentsApprove(agents);
  registerAgentsToken(agents);
  registerAgentsForget(agents);
}

function registerAgentsPending(agents: Command): void {
  const cmd = agents
    .command('pending')
    .description('agents whose keys wait for an operator approval')
    .option('--json', 'print one JSON document')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      await withReader(ctx, async ({ hub }) => {
        const list = await hub.pendingAgents();
        if (opts.json) return ctx.out.document({ pending: list });
        if (list.length === 0) return ctx.out.line('no agents waiting for approval');
        const now = ctx.now();
        const rows = list.map((a) => [
          a.name,
          fingerprintOf(fromBase64(a.publicKey)),
          a.approvedLabels
            ? `${labelsText(a.labels)}\nlabels changed — needs approval (approved: ${labelsText(a.approvedLabels) || 'none'})`
            : labelsText(a.labels),
          a.apps.join(','),
          relativeTime(a.firstSeen, now),
        ]);
        ctx.out.line(
          renderTable(
            ['host', 'fingerprint', 'labels', 'apps', 'first seen'],
            rows.map((row) => row.map(terminalSafe)),
            ctx.config.colorOut,
          ),
        );
        ctx.out.line(
          'compare each fingerprint with `serfbort-agent status` on its host, then: serfbort agents approve NAME --fingerprint FP',
        );
      });
    });
  examples(cmd, ['serfbort agents pending', 'serfbort agents pending --json']);
}

function registerAgentsToken(agents: Command): void {
  const cmd = agents
    .command('token')
    .description(
      'create a one-time enrollment token: an agent started with it is approved on first contact',
    )
    .option('--host <name>', 'only an agent with this host name may use it')
    .option('--expires <duration>', 'how long the token can be used', '1h')
    .option('--json', 'print one JSON document')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      if (opts.host !== undefined && !hostName.safeParse(opts.host).success)
        throw usageError('BAD_HOSTS', `'${opts.host}' is not a host name`);
      const lifetime = parseDuration(opts.expires, '--expires');
      await withOperator(ctx, (session) =>
        grantToken(ctx, session, opts.host, lifetime, opts.json === true),
      );
    });
  examples(cmd, [
    'serfbort agents token --host webc --expires 2h',
    'TOKEN=$(serfbort agents token --host webc)   # the token alone goes to stdout',
  ]);
}

async function grantToken(
  ctx: Ctx,
  { hub, key }: OperatorSession,
  host: string | undefined,
  lifetime: number,
  json: boolean,
): Promise<void> {
  // passed to the agent as `--token`: like an id, it never begins with a dash
  const secret = randomId(randomBytes, 32);
  const now = ctx.now();
  // the hub only ever sees the hash; the token itself is shown once, here
  const grant: EnrollmentGrant = {
    type: 'enrollment-grant',
    tokenHash: sha256Hex(secret),
    ...(host ? { host } : {}),
    issuedAt: now,
    expiresAt: now + lifetime,
  };
  const { expiresAt } = await hub.grant(
    signPayload(PAYLOAD_TYPES.enrollmentGrant, grant, [nodeSigner(key)]),
  );
  if (json) return ctx.out.document({ token: secret, host: host ?? null, expiresAt });
  ctx.out.note(
    `enrollment token${host ? ` for ${host}` : ''}, valid until ${new Date(expiresAt).toISOString()}; shown once, keep it secret:`,
  );
  process.stdout.write(`${secret}\n`);
}
