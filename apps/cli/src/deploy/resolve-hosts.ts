import { fleetBlockers, fleetHostOf, precheckFleet } from '@serfbort/client';
import type { DeployRequest, HostView, Target } from '@serfbort/core';
import { authorize } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { fleetError, usageError } from '../errors.js';
import type { HubSession } from '../hub/session.js';
import type { VerifiedTrust } from '../hub/verified-trust.js';
import { describeTarget } from './target.js';

/** Before signing: the app being deployed, and whether names the fleet does not know only warn. */
export interface TypoCheck {
  app: string;
  allowUnknown: boolean;
  /** hosts operators vouched for (the client's roster): never typos, even when the hub hides them */
  rostered?: readonly string[];
}

/**
 * Typos heard before signing (client's precheckFleet): unknown host names and an app no
 * targeted host has stop here (exit 2) unless --allow-unknown; a target matching nothing
 * always does, since the hub would refuse it anyway.
 */
export async function refuseTypos(
  ctx: Ctx,
  hub: HubSession,
  target: Target | undefined,
  typo: TypoCheck,
): Promise<void> {
  const known = await hub.hosts({});
  // a hub hiding hosts operators vouched for is named as withholding them, not as a typo
  const listed = new Set(known.map((h) => h.name));
  if ((typo.rostered ?? []).some((h) => !listed.has(h))) return;
  const verdict = precheckFleet({
    app: typo.app,
    ...(target ? { target } : {}),
    known: known.map(fleetHostOf),
  });
  const { blocking, warnings } = fleetBlockers(verdict, typo.allowUnknown);
  for (const r of warnings)
    ctx.out.warn(`${r.detail} (${r.code}; signing anyway: --allow-unknown)`);
  const first = blocking[0];
  if (first === undefined) return;
  const override = blocking.some((r) => r.code === 'NO_MATCHING_HOSTS')
    ? ''
    : ' (--allow-unknown signs it anyway)';
  throw usageError(
    first.code,
    `nothing signed: ${blocking.map((r) => r.detail).join('; ')}${override}`,
  );
}

/**
 * The hosts a target matches right now, before anything is signed. No match: say so and
 * stop (exit 2). Hosts not yet approved are left out: they would not get the request.
 */
export async function resolveHosts(
  ctx: Ctx,
  hub: HubSession,
  target: Target,
  typo?: TypoCheck,
  rostered: readonly string[] = [],
): Promise<HostView[]> {
  if (typo) await refuseTypos(ctx, hub, target, { ...typo, rostered });
  const listed = await hub.hosts({ target });
  const approved = listed.filter((h) => h.approved);
  const unapproved = listed.filter((h) => !h.approved).map((h) => h.name);
  if (unapproved.length > 0)
    ctx.out.warn(
      `not approved yet, left out: ${unapproved.join(', ')} (serfbort agents approve NAME)`,
    );
  if ('hosts' in target && !typo) {
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
  /** the request goes to co-signers (--propose): too few signatures is expected */
  proposing = false,
): void {
  const verdict = authorize(trust.keyring.keyring, {
    app: request.app,
    target: request.target,
    signers: request.signers,
    now: ctx.now(),
    hosts: hosts.map((h) => ({ name: h.name, labels: h.labels })),
  });
  if (verdict.ok || (proposing && verdict.reason === 'THRESHOLD_NOT_MET')) return;
  const hint =
    verdict.reason === 'THRESHOLD_NOT_MET'
      ? ' (co-sign with --cosign-key, or --propose and `serfbort pending sign`, or --sign-only and `serfbort sign`)'
      : '';
  ctx.out.warn(
    `keyring v${trust.keyring.keyring.version} does not allow this yet: ${verdict.reason}: ${verdict.detail}${hint}; agents will refuse it`,
  );
}
