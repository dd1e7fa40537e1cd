import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { HostView } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { requestLines } from '../deploy/render.js';
import { buildRequest, openRequest, signRequest } from '../deploy/request.js';
import { resolveHosts, warnIfUnauthorized } from '../deploy/resolve-hosts.js';
import { submitAndWatch } from '../deploy/run.js';
import { checkApp, checkVersionArg, targetFrom } from '../deploy/target.js';
import { usageError } from '../errors.js';
import { operatorSession, verificationContext } from '../hub/operator-session.js';
import { signingKeys } from '../keys/key-files.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { isRollout } from '../rollout/options.js';
import { deployAsRollout } from '../rollout/start.js';
import { readJsonFile, writeEnvelope } from '../trust/doc-file.js';
import { collect, contextOf, examples } from './context.js';

/** The matching hosts, named up to a screenful; offline ones marked. */
function hostSample(hosts: readonly HostView[], max = 20): string {
  const named = hosts
    .slice(0, max)
    .map((h) => `${h.name}${h.state === 'online' ? '' : ` [${h.state}]`}`);
  return hosts.length > max
    ? `${named.join(', ')} and ${hosts.length - max} more`
    : named.join(', ');
}

export function registerDeploy(program: Command): void {
  const deploy = program
    .command('deploy')
    .description('sign a deploy request locally, submit it, and follow every host until it answers')
    .argument('<app>', 'app name, as configured on the agents')
    .argument('<version>', 'version to deploy (becomes one argument of the deploy command)')
    .option('-l, --selector <selector>', "target hosts by label selector, e.g. 'role=web,!canary'")
    .option('--hosts <names>', 'target hosts by name, comma separated, e.g. weba,webb')
    .option(
      '--expires <duration>',
      'how long the signed request stays valid (hosts offline until then still get it)',
      '1h',
    )
    .option(
      '--expect <result>',
      'what the version-report command must print afterwards (e.g. the commit a tag resolves to)',
    )
    .option(
      '--cosign-key <file>',
      'another operator key file that signs too, for apps needing 2+ signatures (repeatable)',
      collect,
      [] as string[],
    )
    .option(
      '--sign-only',
      'sign and write the request to a file for another operator to co-sign; do not submit',
    )
    .option(
      '--out <file>',
      'with --sign-only: where to write the request (default request-<id>.json)',
    )
    .option('-y, --yes', 'do not ask for confirmation (required when there is no terminal)')
    .option('--no-wait', 'submit and return without following the hosts')
    .option(
      '--timeout <duration>',
      'how long to wait for answers from hosts that are online',
      '10m',
    )
    .option('--json', 'print one JSON document with the result')
    .option(
      '--canary <selector>',
      'rollout: these hosts of the target go first, alone (e.g. canary)',
    )
    .option('--canary-hosts <names>', 'rollout: these hosts go first, by name')
    .option('--batch <n|n%>', 'rollout: then batches of n hosts or n% of the target')
    .option('--wait <duration>', 'rollout: pause between steps, e.g. 30s')
    .option(
      '--max-failures <n|n%>',
      'rollout: failures tolerated (silent and rejected hosts count); one more halts (default 0)',
    )
    .option(
      '--on-failure <action>',
      'rollout: halt, or rollback the hosts already done (default halt)',
    )
    .option(
      '--step-timeout <duration>',
      "rollout: each step's deadline; its request expires then (default 10m)",
    )
    .option(
      '--lock-ttl <duration>',
      "rollout: how long the app's lock outlives this process (default 5m)",
    )
    .action(async (app, version, opts, cmd) => {
      const ctx = contextOf(cmd, opts.json);
      checkApp(app);
      checkVersionArg(version);
      if (opts.expect !== undefined) checkVersionArg(opts.expect, '--expect');
      const target = targetFrom(opts, true)!;
      const lifetimeMs = parseDuration(opts.expires, '--expires');
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      if (opts.out && !opts.signOnly)
        throw usageError('BAD_OPTION', '--out only goes with --sign-only');
      const { hub, key } = await operatorSession(ctx);
      try {
        const hosts = await resolveHosts(ctx, hub, target);
        const { trust, agentKeys } = await verificationContext(ctx, hub);
        const signers = await signingKeys(ctx.config, key, opts.cosignKey);
        const request = buildRequest(
          { app, version, target, lifetimeMs, ...(opts.expect ? { expect: opts.expect } : {}) },
          signers,
          ctx.now(),
        );
        warnIfUnauthorized(ctx, trust, request, hosts);
        if (isRollout(opts)) {
          if (opts.signOnly)
            throw usageError(
              'BAD_OPTION',
              '--sign-only signs one request; a rollout signs one per step',
            );
          if (!opts.wait)
            throw usageError(
              'BAD_OPTION',
              'a rollout waits for each step; --no-wait does not apply',
            );
          process.exitCode = await deployAsRollout(ctx, hub, hosts, signers, agentKeys, {
            app,
            version,
            target,
            ...(opts.expect ? { expect: opts.expect } : {}),
            flags: opts,
            ...(opts.yes ? { yes: true } : {}),
            json: opts.json === true,
          });
          return;
        }
        if (!opts.json || !opts.yes) {
          ctx.out.note(
            `About to sign this deploy request (${hosts.length} host(s) match now: ${hostSample(hosts)}):`,
          );
          for (const line of requestLines(request, ctx.out.e)) ctx.out.note(line);
        }
        await confirmSigning(ctx, opts.signOnly ? 'Sign it?' : 'Sign and submit it?', opts.yes);
        const signed = openRequest(signRequest(request, signers), 'request');
        if (opts.signOnly) {
          const out = resolve(opts.out ?? `request-${request.id}.json`);
          writeEnvelope(out, signed.envelope);
          if (opts.json)
            ctx.out.document({
              requestId: request.id,
              file: out,
              signers: request.signers,
              submitted: false,
            });
          ctx.out.line(
            `wrote ${out}; next: another operator runs  serfbort sign ${out}  then  serfbort submit ${out}`,
          );
          return;
        }
        process.exitCode = await submitAndWatch(ctx, hub, signed, hosts, agentKeys, {
          json: opts.json === true,
          wait: opts.wait !== false,
          timeoutMs,
        });
      } finally {
        hub.close();
      }
    });
  examples(deploy, [
    "serfbort deploy shop v1.4.2 -l 'role=web,!canary'",
    'serfbort deploy shop v1.4.2 --hosts weba,webb --yes --json      # CI',
    'serfbort deploy shop v1.4.2 -l role=web --expect 3f2a9c1 --expires 30m',
    'serfbort deploy creds 2026-11 -l role=vault --cosign-key bob.key.json   # app needing 2 signatures',
    'serfbort deploy creds 2026-11 -l role=vault --sign-only --out req.json  # bob: serfbort sign req.json',
    'serfbort deploy shop v1.4.3 -l role=web --canary canary --batch 25% --wait 30s --max-failures 1 --on-failure rollback',
  ]);

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
      const { hub } = await operatorSession(ctx);
      try {
        const hosts = await resolveHosts(ctx, hub, signed.request.target);
        const { trust, agentKeys } = await verificationContext(ctx, hub);
        warnIfUnauthorized(
          ctx,
          trust,
          { ...signed.request, signers: signed.envelope.signatures.map((s) => s.keyid) },
          hosts,
        );
        process.exitCode = await submitAndWatch(ctx, hub, signed, hosts, agentKeys, {
          json: opts.json === true,
          wait: opts.wait,
          timeoutMs,
        });
      } finally {
        hub.close();
      }
    });
  examples(submit, ['serfbort submit req.json', 'serfbort submit req.json --json --timeout 5m']);
}
