import type { CheckedRequest, DeploymentView, HostIdentity } from '@serfbort/core';
import { authorize, checkRequest, rooms, targetMatches } from '@serfbort/core';
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

export interface JudgedRequest extends CheckedRequest {
  /** the registry's hosts the target names (online or not) */
  hosts: HostIdentity[];
  /** rule 2b's verdict: proposals keep requests that fail it with THRESHOLD_NOT_MET */
  auth: ReturnType<typeof authorize>;
}

/**
 * The checks the hub makes before storing a request (deploy or proposal): the rules
 * every agent checks too, and the hosts its target names. Refuses (throws) on all but
 * rule 2b, whose verdict the caller reads.
 */
export async function judgeRequest(
  ctx: HubContext,
  input: unknown,
  now: number,
): Promise<JudgedRequest> {
  // another hub may have published a newer keyring a moment ago: the database decides
  await ctx.trust.refresh();
  // the rules every agent checks before its own: a request no agent would run is refused here with its code
  const checked = checkRequest({
    envelope: input,
    trust: ctx.trust.current(),
    now,
    verifier: nodeVerifier,
  });
  if (!checked.ok) return refuse(checked.code, checked.detail);
  const { request, signers, keyring } = checked;

  // rule 7 at the hub: the registry's hosts the target names (online or not)
  const registry = await ctx.db.select({ name: agents.name, labels: agents.labels }).from(agents);
  const hosts = registry.filter((h) => targetMatches(request.target, h));
  if (hosts.length === 0) return refuse('NO_MATCHING_HOSTS', 'no approved host matches the target');

  // rule 2b: the signers may deploy this app to every one of those hosts
  const auth = authorize(keyring.keyring, {
    app: request.app,
    target: request.target,
    signers,
    now,
    hosts,
  });
  return { ...checked, hosts, auth };
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
  const now = ctx.now();
  const judged = await judgeRequest(ctx, input, now);
  const { request, envelope, digest, signers, hosts, auth } = judged;

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
