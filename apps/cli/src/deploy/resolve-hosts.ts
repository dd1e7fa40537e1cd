import type { DeployRequest, HostView, Target } from '@serfbort/core';
import { authorize } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { fleetError, usageError } from '../errors.js';
import type { HubSession } from '../hub/session.js';
import type { VerifiedTrust } from '../hub/verified-trust.js';
import { describeTarget } from './target.js';

/**
 * The hosts a target matches right now, before anything is signed. No match: say so and
 * stop (exit 2). Hosts not yet approved are left out: they would not get the request.
 */
export async function resolveHosts(
  ctx: Ctx,
  hub: HubSession,
  target: Target,
  rostered: readonly string[] = [],
): Promise<HostView[]> {
  const listed = await hub.hosts({ target });
  const approved = listed.filter((h) => h.approved);
  const unapproved = listed.filter((h) => !h.approved).map((h) => h.name);
  if (unapproved.length > 0)
    ctx.out.warn(
      `not approved yet, left out: ${unapproved.join(', ')} (serfbort agents approve NAME)`,
    );
  if ('hosts' in target) {
    const unknown = target.hosts.filter((n) => !listed.some((h) => h.name === n));
    if (unknown.length > 0) ctx.out.warn(`unknown to the hub: ${unknown.join(', ')}`);
  }
  // the hub shows none, the roster knows some: the hub hides them, say so before signing
  if (approved.length === 0 && rostered.length > 0)
    throw fleetError(
      'WITHHELD',
      `the hub lists no approved host for ${describeTarget(target)}, but operators approved ${rostered.join(', ')}: withheld by the hub; nothing signed`,
    );
  if (approved.length === 0)
    throw usageError(
      'NO_MATCHING_HOSTS',
      `no approved host matches ${describeTarget(target)}: nothing signed`,
    );
  return approved;
}

/** The agents decide, but a request our own keyring already refuses deserves a warning first. */
export function warnIfUnauthorized(
  ctx: Ctx,
  trust: VerifiedTrust,
  request: DeployRequest,
  hosts: HostView[],
): void {
  const verdict = authorize(trust.keyring.keyring, {
    app: request.app,
    target: request.target,
    signers: request.signers,
    now: ctx.now(),
    hosts: hosts.map((h) => ({ name: h.name, labels: h.labels })),
  });
  if (verdict.ok) return;
  const hint =
    verdict.reason === 'THRESHOLD_NOT_MET'
      ? ' (co-sign with --cosign-key, or --sign-only and `serfbort sign`)'
      : '';
  ctx.out.warn(
    `keyring v${trust.keyring.keyring.version} does not allow this yet: ${verdict.reason}: ${verdict.detail}${hint}; agents will refuse it`,
  );
}
