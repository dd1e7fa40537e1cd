import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { plural } from '@serfbort/client';
import type { DeployRequest, HostView } from '@serfbort/core';
import { parseDuration } from '../config/duration.js';
import { artifactFromFile } from '../deploy/artifact.js';
import { readAttestation } from '../deploy/artifact-file.js';
import { requestLines } from '../deploy/render.js';
import { buildRequest, openRequest, signRequest } from '../deploy/request.js';
import { resolveHosts, warnIfUnauthorized } from '../deploy/resolve-hosts.js';
import { followDeployment, submitAndWatch } from '../deploy/run.js';
import { checkApp, checkVersionArg, targetFrom } from '../deploy/target.js';
import { warnIfUnattested } from '../deploy/warn-attestation.js';
import { usageError } from '../errors.js';
import { rosteredHosts, verificationContext } from '../hub/operator-session.js';
import { signingKeys } from '../keys/key-files.js';
import { confirmSigning } from '../prompt/confirm-signing.js';
import { isRollout } from '../rollout/options.js';
import { writeEnvelope } from '../trust/doc-file.js';
import type { Ctx } from './context.js';
import { contextOf, examples } from './context.js';
import { type DeployFlags, deployCommand } from './deploy-flags.js';
import type { Deploying } from './deploy-job.js';
import { startRollout } from './deploy-rollout.js';
import { registerSubmit } from './submit.js';
import { withOperator } from './with-operator.js';

export function registerDeploy(program: Command): void {
  const deploy = deployCommand(program).action(async (app, version, opts, cmd) =>
    runDeploy(contextOf(cmd, opts.json), app, version, opts),
  );
  examples(deploy, [
    "serfbort deploy shop v1.4.2 -l 'role=web,!canary'",
    'serfbort deploy shop v1.4.2 --hosts weba,webb --yes --json      # CI',
    'serfbort deploy shop v1.4.2 -l role=web --expect 3f2a9c1 --expires 30m',
    'serfbort deploy creds 2026-11 -l role=vault --cosign-key bob.key.json   # app needing 2 signatures',
    'serfbort deploy creds 2026-11 -l role=vault --sign-only --out req.json  # bob: serfbort sign req.json',
    'serfbort deploy creds 2026-11 -l role=vault --propose   # bob: serfbort pending sign <id>',
    'serfbort deploy shop v1.4.3 -l role=web --canary canary --batch 25% --wait 30s --max-failures 1 --on-failure rollback',
  ]);
  registerSubmit(program);
}

/** Every argument is checked before the key is unlocked or the hub is asked anything. */
async function runDeploy(ctx: Ctx, app: string, version: string, opts: DeployFlags) {
  checkApp(app);
  checkVersionArg(version);
  if (opts.expect !== undefined) checkVersionArg(opts.expect, '--expect');
  const target = targetFrom(opts, true)!;
  const lifetimeMs = parseDuration(opts.expires, '--expires');
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  if (opts.out && !opts.signOnly)
    throw usageError('BAD_OPTION', '--out only goes with --sign-only');
  if (opts.propose && (opts.signOnly || isRollout(opts)))
    throw usageError(
      'BAD_OPTION',
      '--propose is a single deploy for co-signers: not with --sign-only or rollout options',
    );
  const pinned = await pinnedArtifact(opts);
  await withOperator(ctx, async ({ hub, key }) => {
    const { trust, agentKeys, fleet } = await verificationContext(ctx, hub);
    const rostered = rosteredHosts(fleet, target);
    const hosts = await resolveHosts(
      ctx,
      hub,
      target,
      { app, allowUnknown: opts.allowUnknown === true },
      rostered.covered,
    );
    const signers = await signingKeys(ctx.config, key, opts.cosignKey);
    const request = buildRequest(
      {
        app,
        version,
        target,
        lifetimeMs,
        ...(opts.expect ? { expect: opts.expect } : {}),
        ...pinned,
      },
      signers,
      ctx.now(),
    );
    warnIfUnauthorized(ctx, trust, request, hosts, opts.propose === true);
    warnIfUnattested(ctx, trust, request);
    const job: Deploying = { ctx, hub, hosts, signers, agentKeys, request, opts, rostered };
    if (isRollout(opts)) process.exitCode = await startRollout(job);
    else await signAndSubmit(job, timeoutMs);
  });
}

/** --artifact's digest and --attestation's envelope, read and checked before any key is unlocked. */
async function pinnedArtifact(
  opts: DeployFlags,
): Promise<Pick<DeployRequest, 'artifact' | 'attestation'>> {
  if (opts.artifactUrl !== undefined && opts.artifact === undefined)
    throw usageError('BAD_OPTION', '--artifact-url only goes with --artifact');
  if (opts.artifact === undefined && opts.attestation === undefined) return {};
  const artifact =
    opts.artifact === undefined
      ? undefined
      : await artifactFromFile(opts.artifact, opts.artifactUrl);
  if (opts.attestation === undefined) return { artifact: artifact! };
  return { artifact: artifact!, attestation: readAttestation(resolve(opts.attestation), artifact) };
}

/** The matching hosts, named up to a screenful; offline ones marked. */
function hostSample(hosts: readonly HostView[], max = 20): string {
  const named = hosts
    .slice(0, max)
    .map((h) => `${h.name}${h.state === 'online' ? '' : ` [${h.state}]`}`);
  return hosts.length > max
    ? `${named.join(', ')} and ${hosts.length - max} more`
    : named.join(', ');
}

/** A single deploy: show the request, confirm, sign, then submit it or write it for co-signers. */
async function signAndSubmit(job: Deploying, timeoutMs: number): Promise<void> {
  const { ctx, hub, hosts, request, opts } = job;
  if (!opts.json || !opts.yes) {
    ctx.out.note(
      `About to sign this deploy request (${plural(hosts.length, 'host')} ${hosts.length === 1 ? 'matches' : 'match'} now: ${hostSample(hosts)}):`,
    );
    for (const line of requestLines(request, ctx.out.e)) ctx.out.note(line);
  }
  const question = opts.signOnly
    ? 'Sign it?'
    : opts.propose
      ? 'Sign and propose it?'
      : 'Sign and submit it?';
  await confirmSigning(ctx, question, opts.yes);
  const signed = openRequest(signRequest(request, job.signers), 'request');
  if (opts.signOnly) return writeForCosigners(ctx, request, signed.envelope, opts);
  if (opts.propose) {
    const proposed = await hub.propose(signed.envelope);
    if (proposed.status === 'open') return announceProposal(ctx, request, opts.json === true);
    // it had every signature it needs already: the hub submitted it, so follow it like a deploy
    const view = await hub.watch(request.id);
    process.exitCode = await followDeployment(ctx, hub, signed, view, hosts, job.agentKeys, {
      json: opts.json === true,
      wait: true,
      timeoutMs,
      rostered: job.rostered,
    });
    return;
  }
  process.exitCode = await submitAndWatch(ctx, hub, signed, hosts, job.agentKeys, {
    json: opts.json === true,
    wait: opts.wait !== false,
    timeoutMs,
    rostered: job.rostered,
  });
}

/** --propose: the request waits at the hub for co-signers. */
function announceProposal(ctx: Ctx, request: DeployRequest, json: boolean): void {
  if (json) {
    ctx.out.document({
      requestId: request.id,
      status: 'open',
      proposed: true,
      signers: request.signers,
      submitted: false,
    });
    return;
  }
  ctx.out.line(
    `proposed ${request.id}; other operators allowed ${request.app} review it with  serfbort pending show ${request.id}  and co-sign with  serfbort pending sign ${request.id}`,
  );
}

/** --sign-only: the signed request goes to a file, for `serfbort sign` then `serfbort submit`. */
function writeForCosigners(
  ctx: Ctx,
  request: DeployRequest,
  envelope: ReturnType<typeof signRequest>,
  opts: DeployFlags,
): void {
  const out = resolve(opts.out ?? `request-${request.id}.json`);
  writeEnvelope(out, envelope);
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
}
