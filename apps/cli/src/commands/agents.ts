import { randomBytes } from 'node:crypto';
import type { Command } from '@commander-js/extra-typings';
import type { Approval, EnrollmentGrant } from '@serfbort/core';
import {
  checkPublicKey,
  fingerprintOf,
  fromBase64,
  hostName,
  keyIdOf,
  PAYLOAD_TYPES,
  sha256Hex,
  signPayload,
  tryFromBase64,
} from '@serfbort/core';
import { nodeSigner } from '@serfbort/node';
import { parseDuration, relativeTime } from '../config/duration.js';
import { usageError } from '../errors.js';
import { operatorSession } from '../hub/operator-session.js';
import { renderTable } from '../output/table.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { contextOf, examples } from './context.js';

export function registerAgents(program: Command): void {
  const agents = program
    .command('agents')
    .description('agents waiting for approval, approvals and enrollment tokens');

  const pending = agents
    .command('pending')
    .description('agents whose keys wait for an operator approval')
    .option('--json', 'print one JSON document')
    .action(async (opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      const { hub } = await operatorSession(ctx);
      try {
        const list = await hub.pendingAgents();
        if (opts.json) return ctx.out.document({ pending: list });
        if (list.length === 0) return ctx.out.line('no agents waiting for approval');
        const now = ctx.now();
        const rows = list.map((a) => [
          a.name,
          fingerprintOf(fromBase64(a.publicKey)),
          Object.entries(a.labels)
            .map(([k, v]) => (v ? `${k}=${v}` : k))
            .join(','),
          a.apps.join(','),
          relativeTime(a.firstSeen, now),
        ]);
        ctx.out.line(
          renderTable(
            ['host', 'fingerprint', 'labels', 'apps', 'first seen'],
            rows,
            ctx.config.colorOut,
          ),
        );
        ctx.out.line(
          'compare each fingerprint with `serfbort-agent status` on its host, then: serfbort agents approve NAME',
        );
      } finally {
        hub.close();
      }
    });
  examples(pending, ['serfbort agents pending', 'serfbort agents pending --json']);

  const approve = agents
    .command('approve')
    .description(
      "approve a pending agent's key with your signature (clients then believe its receipts)",
    )
    .argument('<name>', 'host name of the pending agent')
    .option(
      '--fingerprint <fp>',
      'the fingerprint you expect (checked; needed with --yes in scripts)',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name, opts, cmd) => {
      const ctx = contextOf(cmd);
      const { hub, key } = await operatorSession(ctx);
      try {
        const agent = (await hub.pendingAgents()).find((a) => a.name === name);
        if (!agent)
          throw usageError(
            'NOT_PENDING',
            `no pending agent named ${name} (serfbort agents pending)`,
          );
        // the hub's listing is not evidence: recompute key id and fingerprint from the key itself
        const raw = tryFromBase64(agent.publicKey);
        if (!raw || checkPublicKey(raw) !== undefined)
          throw usageError(
            'BAD_PUBLIC_KEY',
            `${name}'s public key is not an admissible Ed25519 key`,
          );
        const fingerprint = fingerprintOf(raw);
        ctx.out.note(`${ctx.out.e.bold(name)} key ${keyIdOf(raw)}`);
        ctx.out.note(
          `fingerprint ${ctx.out.e.bold(fingerprint)}  (compare with 'serfbort-agent status' on the host)`,
        );
        if (opts.fingerprint !== undefined && opts.fingerprint.toLowerCase() !== fingerprint) {
          throw usageError(
            'FINGERPRINT_MISMATCH',
            `expected fingerprint ${opts.fingerprint}, the pending key has ${fingerprint}: nothing signed`,
          );
        }
        await confirmSigning(ctx, `Approve ${name} with this fingerprint?`, opts.yes);
        const payload: Approval = {
          type: 'approval',
          host: name,
          agentKeyId: keyIdOf(raw),
          agentPublicKey: agent.publicKey,
          approvedAt: ctx.now(),
        };
        const result = await hub.approve(
          signPayload(PAYLOAD_TYPES.approval, payload, [nodeSigner(key)]),
        );
        ctx.out.line(`approved ${result.host} (${fingerprint})`);
      } finally {
        hub.close();
      }
    });
  examples(approve, [
    'serfbort agents approve weba',
    'serfbort agents approve weba --fingerprint 1a2b-3c4d-5e6f-7a8b --yes',
  ]);

  const token = agents
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
      const { hub, key } = await operatorSession(ctx);
      try {
        const secret = randomBytes(32).toString('base64url');
        const now = ctx.now();
        // the hub only ever sees the hash; the token itself is shown once, here
        const grant: EnrollmentGrant = {
          type: 'enrollment-grant',
          tokenHash: sha256Hex(secret),
          ...(opts.host ? { host: opts.host } : {}),
          issuedAt: now,
          expiresAt: now + lifetime,
        };
        const { expiresAt } = await hub.grant(
          signPayload(PAYLOAD_TYPES.enrollmentGrant, grant, [nodeSigner(key)]),
        );
        if (opts.json)
          return ctx.out.document({ token: secret, host: opts.host ?? null, expiresAt });
        ctx.out.note(
          `enrollment token${opts.host ? ` for ${opts.host}` : ''}, valid until ${new Date(expiresAt).toISOString()}; shown once, keep it secret:`,
        );
        process.stdout.write(`${secret}\n`);
      } finally {
        hub.close();
      }
    });
  examples(token, [
    'serfbort agents token --host webc --expires 2h',
    'TOKEN=$(serfbort agents token --host webc)   # the token alone goes to stdout',
  ]);
}
