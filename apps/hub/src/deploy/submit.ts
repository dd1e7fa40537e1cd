import type { DeploymentView, DeployRequest, Envelope } from '@serfbort/core';
import {
  authorize,
  checkVersion,
  deployRequest,
  LIMITS,
  openEnvelope,
  PAYLOAD_TYPES,
  rooms,
  sha256Hex,
  targetMatches,
  trustHealth,
  verifySignatures,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { eq } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { agents, deployments } from '../db/schema.js';
import { refuse } from '../errors.js';
import type { HubContext } from '../hub-context.js';
import { announceRollout, recordDeployInRollout } from '../rollouts/rollout-service.js';
import { deliverHere } from './deliver.js';
import { insertPendingHosts } from './insert-hosts.js';
import { loadDeployment } from './views.js';

interface Checked {
  request: DeployRequest;
  envelope: Envelope;
  digest: string;
  signers: string[];
}

/** The agent's own rules, checked early so a request no agent would run is refused with its code. */
function verifyRequest(ctx: HubContext, input: unknown, now: number): Checked {
  // rule 1: well-formed, within bounds, a deploy
  const opened = openEnvelope(input, PAYLOAD_TYPES.deploy);
  if (!opened.ok) return refuse(opened.reason, opened.detail ?? opened.reason);
  // rule 3: usable trust
  const trust = ctx.trust.current();
  const health = trustHealth(trust, now);
  if (!health.usable || !trust?.keyring)
    return refuse('TRUST_EXPIRED', `no usable trust: ${health.usable ? 'NO_KEYRING' : health.why}`);
  // rule 2a: signatures over the exact bytes by keyring operators
  const operatorKeys = trust.keyring.operatorKeys;
  const signed = verifySignatures(opened.value, (id) => operatorKeys.get(id), nodeVerifier);
  if (!signed.ok) return refuse(signed.reason, signed.detail ?? signed.reason);
  const parsed = deployRequest.safeParse(opened.value.payload);
  if (!parsed.success)
    return refuse(
      'MALFORMED',
      `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const request = parsed.data;
  // rule 4: time window
  if (request.expiresAt <= now) return refuse('EXPIRED', 'the request has expired');
  if (request.issuedAt > now + LIMITS.clockSkewMs)
    return refuse('ISSUED_IN_FUTURE', 'issued-at is beyond the allowed clock skew');
  if (request.expiresAt - request.issuedAt > LIMITS.maxRequestLifetimeMs)
    return refuse('EXPIRED', 'lifetime is longer than allowed');
  // rule 9: the version is a safe argument
  const version = checkVersion(request.version);
  if (!version.ok) return refuse('BAD_VERSION', version.reason);
  if (request.expect !== undefined && !checkVersion(request.expect).ok)
    return refuse('BAD_VERSION', 'the expected result is not a safe version string');
  return {
    request,
    envelope: opened.value.envelope,
    digest: sha256Hex(opened.value.payloadBytes),
    signers: signed.value.signers,
  };
}

/**
 * deploy:submit — verify, resolve the targeted hosts, persist, relay to the ones
 * connected here. The submitter watches the deployment from then on.
 */
export async function submitDeploy(
  ctx: HubContext,
  input: unknown,
  submitter: Socket,
): Promise<DeploymentView> {
  const since = performance.now();
  // another hub may have published a newer keyring a moment ago: the database decides
  await ctx.trust.refresh();
  const now = ctx.now();
  const { request, envelope, digest, signers } = verifyRequest(ctx, input, now);

  // rule 5 at the hub: an id names one request; resubmitting the same bytes is a retry
  const [seen] = await ctx.db
    .select({ digest: deployments.digest })
    .from(deployments)
    .where(eq(deployments.requestId, request.id));
  if (seen && seen.digest !== digest)
    return refuse('REPLAYED', `request ${request.id} was already submitted with other content`);
  if (seen) {
    submitter.join(rooms.deployment(request.id));
    return (await loadDeployment(ctx.db, request.id))!;
  }

  // rule 7 at the hub: the registry's hosts the target names (online or not)
  const registry = await ctx.db.select({ name: agents.name, labels: agents.labels }).from(agents);
  const hosts = registry.filter((h) => targetMatches(request.target, h));
  if (hosts.length === 0) return refuse('NO_MATCHING_HOSTS', 'no approved host matches the target');

  // rule 2b: the signers may deploy this app to every one of those hosts
  const keyring = ctx.trust.keyring()!;
  const auth = authorize(keyring.keyring, {
    app: request.app,
    target: request.target,
    signers,
    now,
    hosts,
  });
  if (!auth.ok) return refuse(auth.reason, auth.detail);

  const inserted = await ctx.writes.run(async ({ tx, audit }) => {
    await recordDeployInRollout(tx, request, now);
    const rows = await tx
      .insert(deployments)
      .values({
        requestId: request.id,
        digest,
        app: request.app,
        version: request.version,
        target: request.target,
        signers,
        signerNames: auth.operators.map((o) => o.name),
        issuedAt: request.issuedAt,
        expiresAt: request.expiresAt,
        submittedAt: now,
        rolloutId: request.rollout?.id ?? null,
        envelope,
      })
      .onConflictDoNothing()
      .returning({ requestId: deployments.requestId });
    if (rows.length === 0) return false;
    await insertPendingHosts(tx, {
      requestId: request.id,
      app: request.app,
      issuedAt: request.issuedAt,
      now,
      hosts: hosts.map((h) => h.name),
    });
    await audit.append('deploy', {
      requestId: request.id,
      digest,
      app: request.app,
      version: request.version,
      signers,
      envelope,
    });
    return true;
  });
  submitter.join(rooms.deployment(request.id));
  if (inserted) {
    ctx.log.info(
      {
        requestId: request.id,
        app: request.app,
        version: request.version,
        hosts: hosts.length,
        signers: auth.operators.map((o) => o.name),
      },
      'deploy accepted',
    );
    ctx.metrics.deployments.inc();
    const names = hosts.map((h) => h.name);
    deliverHere(ctx, request.id, envelope, names, since);
    // hosts connected to other hubs: a hint through Redis; the database row stays pending until acknowledged
    ctx.cluster.publish({ type: 'deploy', requestId: request.id, envelope, hosts: names });
    if (request.rollout) await announceRollout(ctx, request.rollout.id);
  }
  return (await loadDeployment(ctx.db, request.id))!;
}
